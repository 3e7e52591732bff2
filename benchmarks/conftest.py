"""The benchmarks' summary of query counts.

The fixtures of the project's root conftest.py (operator, organisation, the cache cleared around
each test) apply here too: benchmarks/ sits under the same rootdir but outside pyproject's
testpaths, so `make test` never collects it.
"""

from __future__ import annotations

import pytest


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter, config):
    """After the timing table, the query counts recorded in each benchmark's extra_info."""
    session = getattr(config, "_benchmarksession", None)
    rows = sorted(
        (bench.name, bench.extra_info["queries"])
        for bench in getattr(session, "benchmarks", [])
        if "queries" in bench.extra_info
    )
    if not rows:
        return
    terminalreporter.section("SQL queries per call (extra_info['queries'])")
    width = max(len(name) for name, _count in rows)
    for name, count in rows:
        terminalreporter.write_line(f"{name:<{width}}  {count:>4}")
