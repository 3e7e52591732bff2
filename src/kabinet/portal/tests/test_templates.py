"""Template rules a browser check would only catch on the pages it happens to visit."""

import re
from pathlib import Path

import kabinet

ROOT = Path(kabinet.__file__).parent
WRAPPER = re.compile(r"<div\b[^>]*\btable-responsive\b[^>]*>", re.S)


def test_every_sideways_scrolling_table_is_a_named_focusable_region():
    # given every template with a table that may scroll sideways on a narrow screen
    offenders = []
    for path in ROOT.rglob("templates/**/*.html"):
        for tag in WRAPPER.findall(path.read_text(encoding="utf-8")):
            # then a keyboard user can reach it (tabindex) and a screen reader names it (WCAG 2.1.1)
            if 'tabindex="0"' not in tag or 'role="region"' not in tag or "aria-label" not in tag:
                offenders.append(f"{path.relative_to(ROOT)}: {' '.join(tag.split())}")
    assert offenders == []
