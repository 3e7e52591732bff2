"""EXPLAIN every query the benchmark's pages make, on a generated PostgreSQL database: a sequential
scan of a big table on a customer's page is a cost that grows with other customers' data (issue 14
item 2: «index scans only»). Prints one line per page and each such scan; exit status 1 if any.

    python benchmarks/load/explain.py --database-url postgres://…/kabinet_load [--min-rows 10000]

`make bench-load DB=postgresql` runs it after generating the data. The staff queue is checked too
(its default filter, the open requests). Plans come from `EXPLAIN (FORMAT JSON)` without ANALYZE:
the plan the server would choose, with the table statistics `generate.py` gathered.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.load import run  # noqa: E402 — after the path


def seq_scans(plan: dict, big: dict[str, int]) -> list[str]:
    """The big tables a plan reads whole (its Seq Scan nodes, however deep)."""
    found = []
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in big:
        found.append(plan["Relation Name"])
    for child in plan.get("Plans", ()):
        found += seq_scans(child, big)
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--min-rows", type=int, default=10000, help="a «big» table has more rows")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("explain.py: PostgreSQL only (SQLite's planner says little about data growth)")
    os.environ.update(run.environment(args.database_url))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kabinet.identity.models import User

    settings.ALLOWED_HOSTS = ["*"]
    # what rendering each page asks of the database (a repeat is answered by the page cache)
    settings.KABINET_PAGE_CACHE = False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r' "
            "AND relnamespace = 'public'::regnamespace AND reltuples > %s",
            [args.min_rows],
        )
        big = dict(cursor.fetchall())
    user = User.objects.get(email=run.BENCH_EMAIL)
    customer = Client()
    customer.force_login(user)
    staff = run.staff_client()
    bad = 0
    for label, url in run.page_urls(user):
        client = staff if label == "staff queue" else customer
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        selects = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
        scans = []
        with connection.cursor() as cursor:
            for sql in selects:
                cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
                (plan,) = cursor.fetchone()
                plan = plan if isinstance(plan, list) else json.loads(plan)
                for table in seq_scans(plan[0]["Plan"], big):
                    scans.append((table, sql))
        print(f"{label:40} {len(selects):3} SELECTs, {len(scans)} seq scans of big tables")
        for table, sql in scans:
            print(f"    Seq Scan on {table} ({big[table]:,} rows): {sql[:300]}")
        bad += len(scans)
    print(
        f"big tables (> {args.min_rows:,} rows): " + ", ".join(f"{t} {n:,}" for t, n in big.items())
    )
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
