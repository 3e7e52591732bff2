"""Browser journeys: Debian's Chromium driven by Playwright against pytest-django's live server."""

import os
import re

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM calls inside page tests

import pytest
from axe_playwright_python.sync_playwright import Axe

from kabinet.demo.services import demo_load, demo_password

CHROMIUM = os.environ.get("KABINET_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/bootstrap.sh --dev")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url() -> str | None:
    """Pages are opened by the live server's URL (`Portal.open`); this replaces pytest-playwright's
    fallback fixture, a method that pytest 9 deprecates (a warning on every run)."""
    return None


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ru-RU", "viewport": {"width": 1280, "height": 900}}


def _demo_build():
    from kabinet.demo.profiles import STAFF
    from kabinet.identity.models import User
    from kabinet.identity.tests.factories import enable_totp

    logins = demo_load(profile="all")
    for person in STAFF.values():
        enable_totp(User.objects.get(email=person.email))
    return logins


@pytest.fixture(scope="session")
def _demo_snapshot():
    """The demo is built once per worker, then copied back before every journey that asks for it.

    Building it (every profile, thousands of shipment lines, the staff's authenticators) takes
    seconds; copying the tables back takes a fraction of one. Each journey still starts from the
    same demo however the one before it changed the data: pytest-django empties the database after
    every transactional test, and `demo` fills it again from the snapshot."""
    return DemoSnapshot()


class DemoSnapshot:
    SCHEMA = "e2e_demo_snapshot"

    def __init__(self):
        self.logins = None
        self.tables: list[str] = []
        self.sqlite_copy = None

    def restore_or_build(self):
        from django.db import connection

        if self.logins is None:
            self.logins = _demo_build()
            self._take(connection)
        else:
            self._restore(connection)
        return list(self.logins)

    def _take(self, connection):
        self.tables = connection.introspection.django_table_names(only_existing=True)
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            import sqlite3

            self.sqlite_copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(self.sqlite_copy)
            return
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {self.SCHEMA} CASCADE")
            cursor.execute(f"CREATE SCHEMA {self.SCHEMA}")
            for table in self.tables:
                cursor.execute(
                    f"CREATE TABLE {self.SCHEMA}.{quote(table)} AS SELECT * FROM {quote(table)}"  # noqa: S608 (table names from Django)
                )

    def _restore(self, connection):
        from django.apps import apps
        from django.core.management.color import no_style
        from django.db import transaction

        connection.ensure_connection()
        if connection.vendor == "sqlite":
            self.sqlite_copy.backup(connection.connection)
            return
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            # foreign keys are DEFERRABLE INITIALLY DEFERRED: checked at commit, in any order
            cursor.execute("TRUNCATE " + ", ".join(quote(t) for t in self.tables))
            for table in self.tables:
                cursor.execute(
                    f"INSERT INTO {quote(table)} SELECT * FROM {self.SCHEMA}.{quote(table)}"  # noqa: S608
                )
            for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                cursor.execute(sql)


@pytest.fixture
def demo(transactional_db, _demo_snapshot):
    """The demo of every profile; the staff have their authenticator apps (2FA is required)."""
    return _demo_snapshot.restore_or_build()


@pytest.fixture(scope="session")
def axe():
    return Axe()


class Portal:
    """What a person does in the portal, in the words of the page."""

    def __init__(self, page, live_server, axe):
        self.page = page
        self.base = live_server.url
        self.axe = axe

    def open(self, path: str):
        self.page.goto(self.base + path)
        return self.page

    def log_in(self, email: str, password: str | None = None):
        self.open("/accounts/login/")
        self.page.fill("input[name=login]", email)
        self.page.fill("input[name=password]", password or demo_password())
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Войти").click()
        if self.page.locator("input[name=code]").count():
            # two-factor authentication: the code from the authenticator app
            from kabinet.identity.tests.factories import totp_code

            self.assert_accessible("two-factor code page")
            self.page.fill("input[name=code]", totp_code())
            with self.page.expect_navigation():
                self.page.get_by_role("button", name="Войти").click()

    def enable_accessible_version(self):
        """The top bar's «Версия для слабовидящих» switch; waits until the page has reloaded."""
        from playwright.sync_api import expect

        self.page.get_by_role("button", name="Версия для слабовидящих").click()
        expect(self.page.locator("html")).to_have_class(re.compile(r"\ba11y\b"))

    def display_settings(self):
        """The panel of the version for the visually impaired, unfolded (a phone folds it)."""
        panel = self.page.locator("[data-a11y-panel]")
        if panel.get_attribute("open") is None:
            panel.locator("summary").click()
        return panel

    def accessible_too(self, where: str):
        """axe in the normal version, then in the version for the visually impaired, then back."""
        from playwright.sync_api import expect

        self.assert_accessible(f"{where}, normal")
        self.enable_accessible_version()
        self.assert_accessible(f"{where}, accessible")
        self.page.get_by_role("button", name="Обычная версия").first.click()
        expect(self.page.locator("html")).not_to_have_class(re.compile(r"\ba11y\b"))

    def nav_links(self, label: str = "Основное меню") -> list[tuple[str, str]]:
        # read from the DOM, so the folded-away menu of a phone is read too
        links = self.page.locator(f'nav[aria-label="{label}"] a.nav-link').evaluate_all(
            "links => links.map(a => [a.textContent.trim(), a.getAttribute('href')])"
        )
        return [tuple(link) for link in links]

    def _axe(self):
        """axe on the loaded page. A click that loads a page returns once the navigation has
        begun, so axe may start on a document that is replaced under it: wait, run it again."""
        from playwright.sync_api import Error as PlaywrightError

        for attempt in range(3):
            self.page.wait_for_load_state("load")
            try:
                return self.axe.run(self.page)
            except PlaywrightError as error:
                replaced = ("documentElement", "Execution context was destroyed", "navigat")
                if attempt == 2 or not any(sign in str(error) for sign in replaced):
                    raise
        raise AssertionError("unreachable")

    def assert_accessible(self, where: str = ""):
        results = self._axe()
        serious = [
            v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")
        ]
        report = "; ".join(
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(n["target"]) for n in v["nodes"][:3])
            for v in serious
        )
        assert not serious, f"axe on {where or self.page.url}: {report}"

    def assert_no_horizontal_scroll(self):
        overflow = self.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            width = self.page.evaluate("document.documentElement.clientWidth")
            # boxes past the edge, and boxes whose own text runs past them (a long word in a
            # heading); what scrolls inside a .table-responsive region is no culprit
            culprits = self.page.evaluate(
                """w => Array.from(document.querySelectorAll('body *'))
                    .filter(e => !e.parentElement.closest('.table-responsive'))
                    .filter(e => e.getBoundingClientRect().right > w + 0.5
                        || (e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0
                            && getComputedStyle(e).overflowX === 'visible'))
                    .slice(0, 5).map(e => e.tagName + '.' + e.className)""",
                width,
            )
            self.page.screenshot(path="/tmp/overflow.png", full_page=True)
            raise AssertionError(f"{self.page.url} scrolls sideways by {overflow}px: {culprits}")


@pytest.fixture
def portal(page, live_server, axe, demo):
    yield Portal(page, live_server, axe)
    # leave the portal before the database is flushed: a request still on its way (a poll, the
    # favicon of a plain error page) would otherwise meet PostgreSQL's TRUNCATE (a deadlock)
    page.goto("about:blank")
