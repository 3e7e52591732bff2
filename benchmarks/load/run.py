"""Serve a generated database with gunicorn (production settings, sync workers) and drive wrk
against the customer pages, each run followed by the floor page in the same conditions; write the
Markdown table (req/s, p50/p95/p99 ms, errors, queries per page, RSS, ratio to the floor).

    python benchmarks/load/run.py --database-url sqlite:////abs/path/load.sqlite3 \
        --clients 1,10,50 --seconds 10 --out docs/performance.md

Not part of `make test`: it takes minutes and its figures depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LUA = Path(__file__).with_name("report.lua")
POST_LUA = Path(__file__).with_name("post.lua")
BANK_NAME = "АО «Сибирский демо-банк»"
BENCH_EMAIL = "bench-7@load.example"
STAFF_EMAIL = "operator@load.example"


INTRO_TITLE = "# Performance: the load benchmark"
INTRO = (
    INTRO_TITLE
    + """

Written by `make bench-load` (benchmarks/load/bench.sh and run.py; the newest run on top);
reproduce with `make bench-load DB=postgresql ACCOUNTS=100000 MONTHS=12 REQUESTS=200000
CLIENTS=1,10,50` (needs `wrk` and the `postgresql` server package; benchmarks/load/README.md).
Each page is driven by wrk against gunicorn with the production settings, and the floor page — a
bare Django page with the same login rendering 20 rows — right after it, so the two meet the same
load; «ratio to floor» is the page's req/s over the floor's. The two POST journeys (a reading
submitted, a request created) are driven the same way; any status ≥ 400 is an error. Queries per
page are counted in-process after one warm-up request, on the run's database and on one of 1,000
accounts. The receipt «not stored yet» is the «Квитанция готовится» page (no task worker runs
during the benchmark).

"""
)
OUTRO = """
Absolute figures depend on the machine and on whatever else ran on it; compare a page with the
floor measured right after it, under the same load.
"""


def environment(database_url: str, cache_url: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    # else the embedded default: each worker's memory, and the page cache in files (var/cache)
    if cache_url:
        env["CACHE_URL"] = cache_url
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.load.settings",
        PYTHONPATH=str(ROOT),
        DATABASE_URL=database_url,
        SECRET_KEY="load-benchmark-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        TRUSTED_PROXY_COUNT="0",
        KABINET_HOME=str(ROOT),
        # the demo payee, so receipts can be printed
        KABINET_PAYEE_NAME="ООО «Городская энергосбытовая компания»",
        KABINET_PAYEE_INN="5503012347",
        KABINET_PAYEE_KPP="550301001",
        KABINET_PAYEE_BIK="045209777",
        KABINET_PAYEE_ACCOUNT="40702810945000012345",
        KABINET_PAYEE_CORRESPONDENT_ACCOUNT="30101810000000000777",
        KABINET_PAYEE_BANK_NAME=BANK_NAME,
        # readings are accepted every day of the month, so «readings submit» runs on any date
        KABINET_READINGS_WINDOW_START="1",
        KABINET_READINGS_WINDOW_END="31",
    )
    return env


def page_urls(user, *, store_receipt: bool = True) -> list[tuple[str, str]]:
    """The pages the benchmark drives for `user` (a generated customer), the floor first and the
    staff queue last: the newest bill (its receipt stored when `store_receipt`), the oldest bill's
    receipt not rendered yet, the customer's first request."""
    from kabinet.billing import documents
    from kabinet.billing.models import Bill
    from kabinet.servicedesk.models import Request

    bills = Bill.objects.filter(account__links__customer__memberships__user=user)
    bill = bills.latest("period")
    if store_receipt:
        documents.receipt_ensure(bill)  # the stored receipt
    cold = bills.earliest("period")
    req = Request.objects.filter(author=user).order_by("pk").first()
    return [
        ("floor (bare Django page)", "/__floor__/"),
        ("dashboard", "/"),
        ("bills", "/bills/"),
        ("bill", f"/bills/{bill.public_id}/"),
        ("receipt, stored", f"/bills/{bill.public_id}/receipt.pdf"),
        ("receipt, not stored yet (202 page)", f"/bills/{cold.public_id}/receipt.pdf"),
        ("readings page", "/meters/"),
        ("request list", "/requests/"),
        ("request page", f"/requests/{req.public_id}/"),
        ("help", "/help/"),
        ("staff queue", "/staff/requests/"),
    ]


def request_form_data(request_type, user) -> dict[str, str] | None:
    """What a person types into `request_type`'s form to file it (every required field, no file),
    or None when the form cannot be filed without a file. The generator stores the same values."""
    from django import forms
    from django.utils import timezone

    from kabinet.portal.requests.forms import build_request_form

    data: dict[str, str] = {}
    for name, field in build_request_form(request_type, user).base_fields.items():
        if not field.required:
            continue
        if isinstance(field, forms.FileField):
            return None
        if isinstance(field, forms.ChoiceField):
            keys = [str(key) for key, _label in field.choices if key]
            if not keys:
                return None
            data[name] = keys[0]
        elif isinstance(field, forms.BooleanField):
            data[name] = "on"
        elif isinstance(field, forms.DecimalField | forms.IntegerField):
            data[name] = "15"
        elif isinstance(field, forms.DateField):
            data[name] = f"{timezone.localdate() + datetime.timedelta(days=30):%d.%m.%Y}"
        elif isinstance(field, forms.EmailField):
            data[name] = user.email
        else:
            data[name] = "Прошу проверить начисления за прошлый месяц: сумма выше обычной."
    return data


def fileable_types(user) -> list[tuple[object, dict[str, str]]]:
    """The service-desk types `user`'s customer may file whose form needs no file, with the data."""
    from kabinet.customers.models import Customer
    from kabinet.servicedesk.selectors import request_types_for

    customer = Customer.objects.filter(memberships__user=user).first()
    found = []
    for request_type in request_types_for(user, customer, module="servicedesk"):
        data = request_form_data(request_type, user)
        if data is not None:
            found.append((request_type, data))
    return found


def prepare(env: dict[str, str], *, posts: bool = True):
    """In this process: a session for the bench customer, the pages to drive, each page's query
    count (Django's test client, after one warm-up request), and the POST journeys' targets."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if env.get("CACHE_URL", "").startswith("dbcache"):
        from django.core.management import call_command

        call_command("createcachetable")
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kabinet.identity.models import User

    settings.ALLOWED_HOSTS = ["*"]
    user = User.objects.get(email=BENCH_EMAIL)
    client_customer = Client()
    client_customer.force_login(user)
    pages = page_urls(user)
    staff = staff_client()
    measured = []
    for label, url in pages:
        client = staff if label == "staff queue" else client_customer
        # the first load renders the page, the second is what a repeat costs (a page kept in
        # the page cache, core/pagecache.py: the figure the load below meets)
        with CaptureQueriesContext(connection) as rendered:
            client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code not in (200, 202):
            sys.exit(f"{url} answered {response.status_code}: the benchmark needs a page")
        counts = f"{len(rendered.captured_queries)}/{len(queries.captured_queries)}"
        measured.append(("GET", label, url, counts))
    cookies = {
        label: (staff if label == "staff queue" else client_customer)
        .cookies[settings.SESSION_COOKIE_NAME]
        .value
        for _method, label, _url, _queries in measured
    }
    if posts:
        measured += post_queries(user, client_customer)
    return cookies, measured


def _post_checked(client, url: str, data: dict[str, str], label: str) -> int:
    """POST in-process, counting queries; the journey must succeed (a redirect), not 400/403."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    if response.status_code != 302:
        sys.exit(f"{label}: POST {url} answered {response.status_code}, not a redirect")
    return len(queries.captured_queries)


def post_queries(user, client) -> list[tuple[str, str, str, int]]:
    """One reading submitted and one request filed in-process (query counts), both undone."""
    from kabinet.metering.models import Reading
    from kabinet.servicedesk.models import Request

    [target] = reading_targets(1, exclude_user=None, users=[user])
    _path, _cookie, body = target
    data = dict(part.split("=", 1) for part in body.split("&"))
    url = target[0]
    found = _post_checked(
        client, url, {k: urllib.parse.unquote_plus(v) for k, v in data.items()}, "readings submit"
    )
    reading_targets_reset()
    request_type, form = fileable_types(user)[0]
    request_url = f"/requests/new/{request_type.key}/"
    before = Request.objects.filter(author=user).count()
    filed = _post_checked(client, request_url, form, "create request")
    assert Request.objects.filter(author=user).count() == before + 1
    assert not Reading.objects.filter(
        meter__account__links__customer__memberships__user=user, period=_period()
    ).exists()
    return [
        ("POST", "readings submit", url, found),
        ("POST", "create request", request_url, filed),
    ]


def _period():
    from django.utils import timezone

    return timezone.localdate().replace(day=1)


def reading_targets(
    count: int, *, exclude_user=BENCH_EMAIL, users=None
) -> list[tuple[str, str, str]]:
    """`count` (path, cookie, form body) triples: each a different generated customer's
    single-zone electricity meter without this month's reading, the customer's session and CSRF
    token, and a value 150 above the last reading. A reading is filed once per meter and month, so
    each POST of a run needs its own meter; `reading_targets_reset` removes what they filed."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    from kabinet.metering.models import Meter, Reading

    user_model = get_user_model()
    if users is None:
        users = list(
            user_model.objects.filter(email__startswith="bench-", is_staff=False)
            .exclude(email=exclude_user)
            .order_by("-pk")[:count]
        )
    targets = []
    for person in users:
        meter = (
            Meter.objects.filter(
                account__links__customer__memberships__user=person,
                kind=Meter.Kind.ELECTRICITY,
                zones=Meter.Zones.SINGLE,
                is_active=True,
            )
            .order_by("pk")
            .first()
        )
        if meter is None:
            continue
        last = Reading.objects.filter(meter=meter, zone="T1").order_by("-period").first()
        value = (last.value if last else 0) + 150
        client = Client()
        client.force_login(person)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        csrf = _get_new_csrf_string()
        prefix = f"m{meter.public_id.hex[:12]}"
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": csrf,
                f"{prefix}-T1": f"{value:.0f}",
                f"{prefix}-confirm_jump": "on",
            }
        )
        cookie = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}"
        targets.append((f"/meters/{meter.public_id}/submit/", cookie, body))
        _READING_METERS.append(meter.pk)
    return targets


_READING_METERS: list[int] = []


def reading_targets_reset() -> int:
    """Remove this month's readings (and their submissions) of the targets' meters."""
    from kabinet.metering.models import Reading, ReadingSubmission

    period = _period()
    deleted, _rows = Reading.objects.filter(meter_id__in=_READING_METERS, period=period).delete()
    ReadingSubmission.objects.filter(meter_id__in=_READING_METERS, period=period).delete()
    return deleted


def staff_client():
    """A signed-in operator (staff role, an authenticator enrolled) whose session passed the second
    factor, made in-process as the tests' force_login makes it: no code typed over HTTP."""
    import time as clock

    from django.test import Client

    user = operator_user()
    client = Client()
    client.force_login(user)
    session = client.session
    session["account_authentication_methods_user"] = str(user.pk)
    session["account_authentication_methods"] = [
        {"method": "password", "at": clock.time()},
        {"method": "mfa", "at": clock.time(), "type": "totp"},
    ]
    session.save()
    return client


def operator_user():
    """The generated data's operator (staff role, a TOTP authenticator), made on first use."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from kabinet.identity import roles
    from kabinet.identity.models import User
    from kabinet.identity.services import user_create

    user = User.objects.filter(email=STAFF_EMAIL).first() or user_create(
        email=STAFF_EMAIL,
        password="bench-password-1",  # noqa: S106 — the generated data's password (README)
        last_name="Операторова",
        first_name="Ольга",
        is_staff=True,
        roles=(roles.OPERATOR,),
        email_verified=True,
    )
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    return user


def wrk(
    url: str, cookie: str, clients: int, seconds: int, *, posts: Path | None = None
) -> dict[str, float]:
    """wrk's figures for `url` (a GET with the session cookie), or with `posts` a file of
    (path, cookie, body) lines that post.lua sends in turn. errors: connect, read, write,
    timeouts and every status ≥ 400 (a refused POST is an error)."""
    script = [str(POST_LUA), str(posts)] if posts else [str(LUA)]
    headers = [] if posts else ["-H", f"Cookie: sessionid={cookie}"]
    out = subprocess.run(  # noqa: S603 — wrk with our arguments
        [
            WRK,
            "-t1",
            f"-c{clients}",
            f"-d{seconds}s",
            "-s",
            script[0],
            *headers,
            url,
            "--",
            *script[1:],
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", line)}


def rss_mib(master_pid: int) -> float:
    """The largest resident size of the gunicorn workers (MiB)."""
    sizes = []
    for child in Path("/proc").iterdir():
        try:
            stat = (child / "stat").read_text().split()
            if child.name.isdigit() and int(stat[3]) == master_pid:
                status = (child / "status").read_text()
                sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
        except (OSError, AttributeError, IndexError):
            continue
    return max(sizes, default=0.0)


WRK = shutil.which("wrk") or ""


def queries_only(database_url: str) -> None:
    """`--queries-only`: print each page's query count on this database as JSON (the baseline at
    1,000 accounts is read by a second process: one process serves one database)."""
    _cookies, measured = prepare(environment(database_url))
    reading_targets_reset()
    print("QUERIES " + json.dumps({label: queries for _m, label, _u, queries in measured}))


def baseline_queries(database_url: str) -> dict[str, int]:
    out = subprocess.run(  # noqa: S603 — this script with our arguments
        [sys.executable, __file__, "--database-url", database_url, "--queries-only"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("QUERIES "))
    return json.loads(line.removeprefix("QUERIES "))


def write_report(out: Path, section: str) -> None:
    """The new run goes on top, under the intro; every earlier run stays below it."""
    old = out.read_text() if out.exists() else ""
    if old.startswith(INTRO_TITLE):
        old = old.split("\n\n", 1)[1] if "\n\n" in old else ""
        # drop the old intro's paragraph too (it is rewritten above)
        if old.startswith("Written by"):
            old = old.split("\n\n", 1)[1] if "\n\n" in old else ""
    out.write_text(INTRO + section + "\n" + old)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--baseline-url", default="", help="the same data at 1,000 accounts")
    parser.add_argument("--clients", default="1,10,50")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--post-pool", type=int, default=1500, help="meters for reading POSTs")
    parser.add_argument("--queries-only", action="store_true")
    parser.add_argument("--out", default="")
    parser.add_argument("--note", default="")
    parser.add_argument(
        "--cache-url",
        default="",
        help="the shared cache production uses (dbcache://kabinet_cache, redis://…); "
        "default: each worker's own memory cache",
    )
    args = parser.parse_args()
    if args.queries_only:
        queries_only(args.database_url)
        return
    if not WRK:
        sys.exit(
            "bench-load: wrk is not installed. On Debian: `sudo apt-get install wrk` "
            "(or `scripts/bootstrap.sh --dev` as root, which installs it with the other dev tools)."
        )

    started = time.monotonic()
    baseline = baseline_queries(args.baseline_url) if args.baseline_url else {}
    env = environment(args.database_url, args.cache_url)
    cookies, pages = prepare(env)
    posts_file = ROOT / "var" / "load-posts.tsv"
    posts_file.parent.mkdir(exist_ok=True)
    targets = reading_targets(args.post_pool)
    posts_file.write_text("".join("\t".join(t) + "\n" for t in targets))
    from kabinet.identity.models import User

    bench = User.objects.get(email=BENCH_EMAIL)
    request_type, form = fileable_types(bench)[0]
    from django.conf import settings
    from django.middleware.csrf import _get_new_csrf_string

    csrf = _get_new_csrf_string()
    create_file = ROOT / "var" / "load-create.tsv"
    create_file.write_text(
        "\t".join(
            (
                f"/requests/new/{request_type.key}/",
                f"sessionid={cookies['dashboard']}; {settings.CSRF_COOKIE_NAME}={csrf}",
                urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, **form}),
            )
        )
        + "\n"
    )
    prepared = time.monotonic() - started
    print(f"prepared in {prepared:.0f} s ({len(targets)} reading targets)", flush=True)
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(  # noqa: S603 — gunicorn of this interpreter
        [
            sys.executable,
            "-m",
            "gunicorn",
            "kabinet.config.wsgi",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
        ],
        env={**env, "DJANGO_SETTINGS_MODULE": "benchmarks.load.settings"},
        cwd=ROOT,
    )
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310 — loopback http
                break
            except OSError:
                time.sleep(0.5)
        _m, _floor_label, floor_url, floor_queries = pages[0]
        rows = []
        for clients in (int(c) for c in args.clients.split(",")):
            for method, label, url, queries in pages[1:]:
                if method == "POST":
                    posts = posts_file if label == "readings submit" else create_file
                    page = wrk(base + "/", "", clients, args.seconds, posts=posts)
                    floor = wrk(base + floor_url, cookies["dashboard"], clients, args.seconds)
                    if label == "readings submit":
                        reading_targets_reset()
                else:
                    # the floor right after each page, so both meet the same machine load,
                    # with the same person's session as the page
                    page = wrk(base + url, cookies[label], clients, args.seconds)
                    floor = wrk(base + floor_url, cookies[label], clients, args.seconds)
                label = f"{label} (POST)" if method == "POST" else label
                small = baseline.get(label.removesuffix(" (POST)"), "")
                rows.append((clients, label, small, queries, page, floor, rss_mib(server.pid)))
                print(clients, label, page, "floor", floor, flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    elapsed = time.monotonic() - started
    table = [
        "| clients | page | queries at 1,000 (rendered/repeat) | queries (rendered/repeat) | req/s | p50 ms | p95 ms | p99 ms | errors | "
        "floor req/s | ratio to floor | worker RSS MiB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for clients, label, small, queries, page, floor, rss in rows:
        table.append(
            f"| {clients} | {label} | {small} | {queries} | {page['rps']:.1f} | {page['p50']:.1f} | "
            f"{page['p95']:.1f} | {page['p99']:.1f} | {int(page['errors'])} | {floor['rps']:.1f} | "
            f"{page['rps'] / floor['rps']:.2f} | {rss:.0f} |"
        )
    now = datetime.datetime.now(datetime.UTC)
    floor_repeat = str(floor_queries).split("/")[-1]
    header = (
        f"## Run {now:%d.%m.%Y %H:%M} UTC\n\n{platform.node()}, {os.cpu_count()} CPU, "
        f"Python {platform.python_version()}, {connection_vendor()}, gunicorn {args.workers} sync "
        f"workers, wrk {args.seconds} s per cell; floor: {floor_repeat} queries; cache: "
        f"{args.cache_url.split(':')[0] if args.cache_url else 'the embedded default'}. {args.note} "
        f"Preparing (sessions, query counts, {len(targets)} reading targets) took {prepared:.0f} s, "
        f"the whole run {elapsed:.0f} s."
    )
    section = header + "\n\n" + "\n".join(table) + "\n" + OUTRO
    print(section)
    if args.out:
        write_report(Path(args.out), section)


def connection_vendor() -> str:
    from django.db import connection

    return f"{connection.display_name} {'.'.join(map(str, connection.get_database_version()))}"


if __name__ == "__main__":
    main()
