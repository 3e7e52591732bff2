"""CPU per request of each customer page in one process (issue 14): production settings (DEBUG off,
the cached template loader), the benchmark's session, a small generated database.

    python benchmarks/load/profile_pages.py                 # builds var/profile.sqlite3 once
    python benchmarks/load/profile_pages.py --requests 200 --rebuild
    python benchmarks/load/profile_pages.py --profile dashboard   # cProfile of one page, top 30

Prints ms of `time.process_time` per request (after a warm-up request) and the queries per page.
Not a timed test: the figures depend on the machine; compare a page with the floor in one run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.load.run import environment, prepare  # noqa: E402


def build(db: Path, accounts: int, requests: int) -> None:
    db.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=f"sqlite:///{db}", DJANGO_SETTINGS_MODULE="kabinet.config.settings.local"
    )
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v0"], env=env, cwd=ROOT, check=True)  # noqa: S603
    subprocess.run(  # noqa: S603 — the generator of this repository
        [
            python,
            "benchmarks/load/generate.py",
            *("--accounts", str(accounts), "--months", "12", "--requests", str(requests)),
        ],
        env=env,
        cwd=ROOT,
        check=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=str(ROOT / "var" / "profile.sqlite3"))
    parser.add_argument("--accounts", type=int, default=500)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("-n", "--count", type=int, default=200)
    parser.add_argument("--profile", default="", help="a page label: print its cProfile instead")
    args = parser.parse_args()

    db = Path(args.db)
    if args.rebuild or not db.exists():
        build(db, args.accounts, args.requests)
    env = environment(f"sqlite:///{db}")
    cookies, pages = prepare(env)

    from django.conf import settings
    from django.test import Client

    assert not settings.DEBUG
    clients = {}
    for label, cookie in cookies.items():
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie
        clients[label] = client

    if args.profile:
        import cProfile
        import pstats

        url = {label: url for _m, label, url, _q in pages}[args.profile]
        client = clients[args.profile]
        client.get(url)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.count):
            client.get(url)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        return

    print(f"{'page':40} {'queries':>7} {'ms CPU':>8}")
    for method, label, url, queries in pages:
        if method != "GET":
            continue
        client = clients[label]
        client.get(url)
        started = time.process_time()
        for _ in range(args.count):
            client.get(url)
        ms = (time.process_time() - started) * 1000 / args.count
        print(f"{label:40} {queries:>7} {ms:>8.2f}", flush=True)


if __name__ == "__main__":
    main()
