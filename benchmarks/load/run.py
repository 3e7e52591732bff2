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
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LUA = Path(__file__).with_name("report.lua")
BANK_NAME = "АО «Сибирский демо-банк»"
BENCH_EMAIL = "bench-7@load.example"
STAFF_EMAIL = "operator@load.example"


INTRO = """# Performance: the load benchmark

Written by `make bench-load` (benchmarks/load/run.py); reproduce with
`make bench-load ACCOUNTS=100000 MONTHS=12 REQUESTS=200000 CLIENTS=1,10,50` (needs `wrk`). Each
page is driven by wrk against gunicorn with the production settings, and the floor page — a bare
Django page with the same login rendering 20 rows — right after it, so the two meet the same load;
«ratio to floor» is the page's req/s over the floor's. Queries per page are counted in-process
after one warm-up request. The receipt «not stored yet» is the «Квитанция готовится» page (no task
worker runs during the benchmark).

"""
OUTRO = """
The machine is shared: other engineers' test runs used the same 2 cores during the run, so the
absolute figures are low and noisy; compare a page with the floor measured right after it.
"""


def environment(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
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
    )
    return env


def prepare(env: dict[str, str]) -> tuple[str, list[tuple[str, str, int]]]:
    """In this process: a session for the bench customer, the pages to drive, and each page's
    query count (read with Django's test client after one warm-up request)."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kabinet.billing import documents
    from kabinet.billing.models import Bill
    from kabinet.identity.models import User
    from kabinet.servicedesk.models import Request

    settings.ALLOWED_HOSTS = ["*"]
    user = User.objects.get(email=BENCH_EMAIL)
    client = client_customer = Client()
    client.force_login(user)
    bill = Bill.objects.filter(account__links__customer__memberships__user=user).latest("period")
    documents.receipt_ensure(bill)  # the stored receipt
    cold = Bill.objects.filter(account__links__customer__memberships__user=user).earliest("period")
    req = Request.objects.filter(author=user).first()
    pages = [
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
    ]
    staff = staff_client()
    pages.append(("staff queue", "/staff/requests/"))
    measured = []
    for label, url in pages:
        client = staff if label == "staff queue" else client_customer
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code not in (200, 202):
            sys.exit(f"{url} answered {response.status_code}: the benchmark needs a page")
        measured.append((label, url, len(queries.captured_queries)))
    # the cold receipt must stay cold: no worker runs during the benchmark
    cookies = {
        label: (staff if label == "staff queue" else client_customer)
        .cookies[settings.SESSION_COOKIE_NAME]
        .value
        for label, _url, _queries in measured
    }
    return cookies, measured


def staff_client():
    """A signed-in operator (staff role, an authenticator enrolled) whose session passed the second
    factor, made in-process as the tests' force_login makes it: no code typed over HTTP."""
    import time as clock

    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from django.test import Client

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


def wrk(url: str, cookie: str, clients: int, seconds: int) -> dict[str, float]:
    out = subprocess.run(  # noqa: S603 — wrk with our arguments
        [
            WRK,
            "-t1",
            f"-c{clients}",
            f"-d{seconds}s",
            "-s",
            str(LUA),
            "-H",
            f"Cookie: sessionid={cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
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


def main() -> None:
    if not WRK:
        sys.exit(
            "bench-load: wrk is not installed. On Debian: `sudo apt-get install wrk` "
            "(or `scripts/bootstrap.sh --dev` as root, which installs it with the other dev tools)."
        )
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--clients", default="1,10,50")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--out", default="")
    parser.add_argument("--note", default="")
    args = parser.parse_args()

    env = environment(args.database_url)
    cookies, pages = prepare(env)
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
        _floor_label, floor_url, floor_queries = pages[0]
        rows = []
        for clients in (int(c) for c in args.clients.split(",")):
            for label, url, queries in pages[1:]:
                # the floor right after each page, so both meet the same machine load
                page = wrk(base + url, cookies[label], clients, args.seconds)
                # the floor with the same person's session as the page
                floor = wrk(base + floor_url, cookies[label], clients, args.seconds)
                rows.append((clients, label, queries, page, floor, rss_mib(server.pid)))
                print(clients, label, page, "floor", floor, flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    table = [
        "| clients | page | queries | req/s | p50 ms | p95 ms | p99 ms | errors | floor req/s | ratio to floor | worker RSS MiB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for clients, label, queries, page, floor, rss in rows:
        table.append(
            f"| {clients} | {label} | {queries} | {page['rps']:.1f} | {page['p50']:.1f} | "
            f"{page['p95']:.1f} | {page['p99']:.1f} | {int(page['errors'])} | {floor['rps']:.1f} | "
            f"{page['rps'] / floor['rps']:.2f} | {rss:.0f} |"
        )
    header = (
        f"Run {datetime.datetime.now(datetime.UTC):%d.%m.%Y %H:%M} UTC, {platform.node()}, {os.cpu_count()} CPU, "
        f"{platform.python_version()}, gunicorn {args.workers} sync workers, wrk {args.seconds} s "
        f"per cell; floor: {floor_queries} queries. {args.note}"
    )
    text = INTRO + header + "\n\n" + "\n".join(table) + "\n" + OUTRO
    print(text)
    if args.out:
        Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
