"""The cluster smoke test (scripts/cluster-smoke.sh): the distributed mode on one machine.

1. starts PostgreSQL, Redis, S3 (moto), an SMTP sink, two app servers behind nginx and two
   task workers (tests/cluster/cluster.py), the demo's energy retailer in the database;
2. a customer journey through nginx, whose requests alternate between the app servers: log in,
   pay in the sandbox (confirmed by a worker), submit a reading, create a request with an
   attachment (stored in S3), download a receipt;
3. kills the worker that is making a reconciliation act: the other worker makes it, once;
4. restarts PostgreSQL under load: pages fail fast with the 503 page, then recover.

Exit status: 0 passed, 1 failed, 3 a part is not installable here (skipped, said why).
"""

from __future__ import annotations

import re
import shutil
import signal
import sys
import threading
import time
import traceback
from collections import Counter

from tests.cluster.cluster import (
    DEMO_PASSWORD,
    LEASE_SECONDS,
    Cluster,
    log,
    missing_parts,
)

EXIT_UNAVAILABLE = 3
CUSTOMER = "energy@demo.kabinet.example"
SERIAL = "36812457"  # the flat's day/night meter (the demo)
CHROMIUM = "/usr/bin/chromium"
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


class SmokeError(AssertionError):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeError(message)
    log(f"ok: {message}")


# --- the database, seen from outside --------------------------------------------------------------
def sql(cluster: Cluster, query: str, *params) -> list[tuple]:
    import psycopg

    with psycopg.connect(cluster.database_url, connect_timeout=3) as conn:
        return conn.execute(query, params).fetchall()


# --- the customer journey ---------------------------------------------------------------------------
class Journey:
    def __init__(self, cluster: Cluster, page) -> None:
        self.cluster = cluster
        self.page = page
        self.upstreams: list[str] = []
        page.on("response", self._seen)

    def _seen(self, response) -> None:
        upstream = response.headers.get("x-kabinet-upstream")
        if upstream and response.request.resource_type == "document":
            self.upstreams.append(upstream)

    def open(self, path: str) -> None:
        self.page.goto(self.cluster.url + path)

    def log_in(self) -> None:
        self.open("/accounts/login/")
        self.page.fill("input[name=login]", CUSTOMER)
        self.page.fill("input[name=password]", DEMO_PASSWORD)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Войти").click()
        check("Задолженность" in self.page.locator("main").inner_text(), "logged in: the dashboard")

    def pay(self, amount: str = "150,25") -> None:
        from playwright.sync_api import expect

        page = self.page
        self.open("/payments/")
        page.get_by_label("Сумма, ₽").fill(amount)
        page.get_by_role("button", name="Оплатить").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Оплата банковской картой")
        page.get_by_label("Номер карты").fill("4111 1111 1111 1111")
        page.get_by_label("Срок действия (ММ/ГГ)").fill("12/30")
        page.get_by_label("CVC/CVV").fill("123")
        page.get_by_role("button", name="Оплатить").click()
        status = page.get_by_test_id("payment-status")
        deadline = time.monotonic() + 30
        while "принят" not in status.inner_text() and time.monotonic() < deadline:
            time.sleep(0.5)  # the acquirer's notification goes through a worker
            page.reload()
        check(
            "принят" in status.inner_text(),
            f"paid {amount} ₽ in the sandbox, confirmed by a worker",
        )
        rows = sql(
            self.cluster,
            "SELECT status, count(*) FROM billing_payment WHERE amount = %s GROUP BY status",
            amount.replace(",", "."),
        )
        check(rows == [("succeeded", 1)], f"one succeeded payment in the database: {rows}")

    def submit_reading(self) -> None:
        from playwright.sync_api import expect

        page = self.page
        self.open("/")
        page.get_by_role("link", name="Ввод показаний").first.click()
        card = page.locator(f"section.meter-card:has-text('№ {SERIAL}')")
        card.get_by_label(re.compile("Показание, Т1 — день")).fill("99900")
        card.get_by_label(re.compile("Показание, Т2 — ночь")).fill("41300")
        send = card.get_by_role("button", name=re.compile("Передать показания"))
        send.click()
        confirm = card.get_by_role("checkbox")
        page.wait_for_timeout(500)
        if confirm.count() and confirm.first.is_visible():
            confirm.first.check()
            send.click()
        expect(card.get_by_role("status")).to_contain_text("приняты", timeout=15_000)
        check(True, "a meter reading submitted (99 900 / 41 300)")

    def create_request(self) -> str:
        from playwright.sync_api import expect

        page = self.page
        self.open("/")
        page.get_by_role("link", name="Заявки и обращения").first.click()
        page.get_by_role("link", name="Новая заявка").click()
        page.get_by_role("link", name="Заявка на заключение договора", exact=True).click()
        page.get_by_label("Вид договора").select_option("Энергоснабжение")
        page.get_by_label("Желаемая дата начала").fill("2026-07-01")
        page.get_by_label("Максимальная мощность, кВт").fill("15")
        page.get_by_label("Объекты").fill("г. Энск, ул. Лесная, д. 3")
        page.get_by_label("Файлы").set_input_files(
            files=[
                {
                    "name": "pasport-cluster.pdf",
                    "mimeType": "application/pdf",
                    "buffer": b"%PDF-1.4\n% cluster smoke\n",
                }
            ]
        )
        page.get_by_role("button", name="Отправить заявку").click()
        page.wait_for_url(re.compile(r"/requests/[0-9a-f-]{36}/$"), timeout=20_000)
        expect(page.locator("main")).to_contain_text("отправлена")
        expect(page.locator("main")).to_contain_text("pasport-cluster")
        check(True, f"a request with an attachment created: {page.url}")
        return page.url

    def download_receipt(self) -> None:
        page = self.page
        self.open("/")
        page.get_by_role("link", name="Счета", exact=True).first.click()
        rows = page.locator("table.bills-table > tbody > tr:not(.bill-lines)")
        with page.expect_download(timeout=30_000) as info:
            rows.first.get_by_role("link", name=re.compile("^Скачать")).click()
        body = open(info.value.path(), "rb").read()  # noqa: SIM115
        check(body.startswith(b"%PDF"), f"the receipt downloaded: a PDF of {len(body)} bytes")


# --- a worker killed in the middle of a task -------------------------------------------------------
ACT_TASK = "%act_request_generate_task"


def latest_act_task(cluster: Cluster):
    rows = sql(
        cluster,
        "SELECT id, status, worker_ids FROM django_tasks_database_dbtaskresult WHERE task_path LIKE %s "
        "ORDER BY enqueued_at DESC LIMIT 1",
        ACT_TASK,
    )
    return rows[0] if rows else None


def kill_a_worker_mid_task(cluster: Cluster, journey: Journey) -> None:
    page = journey.page
    for attempt in range(1, 4):
        before = latest_act_task(cluster)
        journey.open("/")
        page.get_by_role("link", name="Счета", exact=True).first.click()
        page.get_by_role("link", name="Акт сверки").first.click()
        page.get_by_role("button", name="Сформировать").click()
        act_url = page.url
        victim = None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            row = latest_act_task(cluster)
            if row and row != before and row[0] != (before or [None])[0]:
                task_id, status, worker_ids = row
                if status == "RUNNING":
                    victim = worker_ids[-1]
                    cluster.kill(victim)
                    break
                if status in ("SUCCESSFUL", "FAILED"):
                    break
            time.sleep(0.02)
        if victim is None:
            log(f"attempt {attempt}: the act was made before a worker could be killed; again")
            continue
        acts = sql(
            cluster,
            "SELECT status FROM billing_actrequest ORDER BY created_at DESC LIMIT 1",
        )
        log(f"killed worker {victim} (SIGKILL) while it made the act (act status {acts[0][0]})")
        if acts[0][0] not in ("queued", "running"):
            log("…but the act was already finished: again")
            cluster.start_worker(victim)
            continue
        started = time.monotonic()
        deadline = started + LEASE_SECONDS * 4 + 20
        row = None
        while time.monotonic() < deadline:
            row = sql(
                cluster,
                "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE id = %s",
                task_id,
            )[0]
            if row[0] in ("SUCCESSFUL", "FAILED"):
                break
            time.sleep(0.3)
        waited = time.monotonic() - started
        check(
            row is not None and row[0] == "SUCCESSFUL",
            f"the act task finished {waited:.1f}s after the kill (lease {LEASE_SECONDS}s): {row}",
        )
        survivor = [w for w in row[1] if w != victim]
        check(
            len(row[1]) == 2 and row[1][0] == victim and len(survivor) == 1,
            f"run twice in all: claimed by {victim} (killed), then by {survivor[0]}",
        )
        acts = sql(
            cluster,
            "SELECT status, count(*) FROM billing_actrequest GROUP BY status ORDER BY status",
        )
        check(("running", 1) not in acts and all(s != "failed" for s, _ in acts), f"acts: {acts}")
        page.goto(act_url)
        from playwright.sync_api import expect

        expect(page.get_by_test_id("act-status-text")).to_have_text(
            "Акт сверки готов.", timeout=15_000
        )
        with page.expect_download() as info:
            page.get_by_role("link", name="Скачать PDF").click()
        body = open(info.value.path(), "rb").read()  # noqa: SIM115
        check(
            body.startswith(b"%PDF"),
            "the customer's page says «Акт сверки готов.»; its PDF downloads",
        )
        cluster.start_worker(victim)
        log(f"worker {victim} started again")
        return
    raise SmokeError("could not catch a worker in the middle of an act in 3 attempts")


# --- PostgreSQL restarted under load ---------------------------------------------------------------
def restart_postgres_under_load(cluster: Cluster, cookies: list[dict]) -> None:
    import requests
    import urllib3

    urllib3.disable_warnings()
    results: list[tuple[float, int, float, str, bool]] = []
    errors: Counter[str] = Counter()
    stop = threading.Event()
    started = time.monotonic()

    def load() -> None:
        session = requests.Session()
        session.verify = False
        session.trust_env = False  # loopback: no proxy from the environment
        for cookie in cookies:
            session.cookies.set(cookie["name"], cookie["value"])
        while not stop.is_set():
            t0 = time.monotonic()
            try:
                response = session.get(cluster.url + "/", timeout=30, allow_redirects=False)
                code, retry = response.status_code, response.headers.get("Retry-After", "")
                friendly = "Сервис временно недоступен" in response.text
            except requests.RequestException as error:
                code, retry, friendly = 0, "", False
                errors[type(error).__name__] += 1
            results.append((t0 - started, code, time.monotonic() - t0, retry, friendly))

    threads = [threading.Thread(target=load, daemon=True) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(3)
    down_at = time.monotonic() - started
    cluster.restart_postgres()
    time.sleep(4)
    up_at = time.monotonic() - started
    cluster.start_postgres_again()
    # until the pages are back, at most 30 s
    recovered_at = None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        time.sleep(0.5)
        recent = [r for r in results if r[0] > up_at][-8:]
        if len(recent) == 8 and all(r[1] == 200 for r in recent):
            recovered_at = recent[0][0]
            break
    time.sleep(1)
    stop.set()
    for thread in threads:
        thread.join(timeout=40)

    before = [r for r in results if r[0] + r[2] < down_at]
    outage = [r for r in results if r[0] > down_at + 0.5 and r[0] + r[2] < up_at]
    codes = Counter(r[1] for r in results)
    log(f"{len(results)} requests: {dict(codes)}; PostgreSQL down {down_at:.1f}s–{up_at:.1f}s")
    if errors:
        log(f"client errors: {dict(errors)}")
    check(before and all(r[1] == 200 for r in before), f"before: {len(before)} pages, all 200")
    check(
        outage and all(r[1] == 503 and r[3] and r[4] for r in outage),
        f"while down: {len(outage)} pages, all 503 «Сервис временно недоступен» with Retry-After",
    )
    slowest = max(r[2] for r in outage)
    check(slowest < 5, f"…and each failed fast (slowest {slowest * 1000:.0f} ms)")
    check(
        codes.get(500, 0) == 0 and codes.get(502, 0) == 0 and codes.get(0, 0) == 0,
        "no 500, no 502, no dropped connection at any time",
    )
    check(
        recovered_at is not None,
        f"recovered: all 200 again {recovered_at - up_at:.1f}s after PostgreSQL was back"
        if recovered_at
        else "recovered: pages did not come back within 30 s",
    )
    for name in ("w1", "w2"):
        check(cluster.alive(name), f"worker {name} lived through the restart")


def main() -> int:
    missing = missing_parts()
    if missing:
        print("cluster-smoke: SKIPPED: cannot start the cluster here, missing:", file=sys.stderr)
        for part in missing:
            print(f"  - {part}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    # a CI timeout's SIGTERM unwinds through the cleanup below like Ctrl+C
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    cluster = Cluster()
    log(f"cluster folder {cluster.dir}")
    try:
        cluster.start_postgres()
        cluster.start_redis()
        cluster.start_s3()
        cluster.start_smtp()
        cluster.prepare()
        for name in ("app1", "app2"):
            cluster.start_app(name)
        for name in ("w1", "w2"):
            cluster.start_worker(name)
        cluster.start_nginx()
        cluster.wait_apps()
        run(cluster)
    except Exception:
        traceback.print_exc()
        for name in ("app1", "app2", "w1", "w2", "nginx"):
            print(f"---- {name}.log (last lines) ----\n{cluster.tail(name)}", file=sys.stderr)
        cluster.stop()
        log(f"FAILED; the processes' logs are kept in {cluster.dir}")
        return 1
    except BaseException:
        cluster.stop()
        raise
    cluster.stop()
    shutil.rmtree(cluster.dir, ignore_errors=True)
    log("cluster stopped and its folder removed; PASSED")
    return 0


def run(cluster: Cluster) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            ignore_https_errors=True, locale="ru-RU", accept_downloads=True
        )
        page = context.new_page()
        page.set_default_timeout(20_000)
        journey = Journey(cluster, page)
        journey.log_in()
        journey.pay()
        journey.submit_reading()
        keys_before = set(cluster.s3_keys())
        journey.create_request()
        new_keys = sorted(set(cluster.s3_keys()) - keys_before)
        journey.download_receipt()
        used = Counter(journey.upstreams)
        check(len(used) == 2, f"pages served by both app servers: {dict(used)}")
        switches = sum(
            1 for a, b in zip(journey.upstreams, journey.upstreams[1:], strict=False) if a != b
        )
        check(switches >= len(journey.upstreams) // 3, f"…alternating ({switches} switches)")
        check(bool(new_keys), f"the attachment went to S3 through django-storages: {new_keys}")
        media = list((cluster.dir / "media").rglob("*")) if (cluster.dir / "media").exists() else []
        check(not [p for p in media if p.is_file()], "nothing written to the local media folder")
        kill_a_worker_mid_task(cluster, journey)
        restart_postgres_under_load(cluster, context.cookies())
        journey.pay("77,70")  # the workers work again after the restart
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
