"""Keyset pages (core/keyset.py): several columns each way, an annotated rank, a NULL coalesced
to a sentinel, ties on the first column; every row once in the page order; a row added meanwhile
does not shift the pages; a forged cursor, or one of another list or other filters, is page one."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Case, GenericIPAddressField, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from kabinet.core.keyset import bind_filters, keyset_page
from kabinet.core.models import AuditEvent

pytestmark = pytest.mark.django_db

ORDER = ("-rank", "who", "-at")
NOWHERE = (
    "10.0.0.9"  # «no address» sorts after every address (the same layout: inet and text agree)
)


def _events():
    return AuditEvent.objects.annotate(
        rank=Case(When(action="urgent", then=Value(1)), default=Value(0)),
        who=Coalesce("ip", Value(NOWHERE), output_field=GenericIPAddressField()),
    )


def _expected():
    rows = list(_events())
    return [
        row.pk for row in sorted(rows, key=lambda r: (-r.rank, r.who, -r.at.timestamp(), -r.pk))
    ]


@pytest.fixture
def events():
    addresses = ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
    base = timezone.now() - datetime.timedelta(days=1)
    AuditEvent.objects.all().delete()
    for n in range(37):
        event = AuditEvent.objects.create(
            action="urgent" if n % 5 == 0 else "plain",
            ip=addresses[n % 3] if n % 4 else None,
        )
        # ties on `at` too: every third pair shares the instant
        AuditEvent.objects.filter(pk=event.pk).update(
            at=base + datetime.timedelta(minutes=n - n % 2)
        )
    return addresses


def _walk(size, bind="list", first_cursor=""):
    seen, cursor, pages = [], first_cursor, 0
    while True:
        page = keyset_page(_events(), cursor, size=size, order=ORDER, bind=bind)
        seen += [row.pk for row in page]
        pages += 1
        cursor = page.next_cursor
        if not cursor:
            return seen, pages


@pytest.mark.parametrize("size", [1, 4, 7, 37, 50])
def test_paging_through_every_row_returns_each_once_in_the_page_order(events, size):
    # given 37 rows with ties on the rank, the address (NULLs among them) and the time
    # when the list is walked page by page
    seen, pages = _walk(size)
    # then every row appears once, in the order of the columns, and the pages are as many as needed
    assert seen == _expected()
    assert pages == max(1, -(-37 // size))


def test_a_row_added_meanwhile_does_not_shift_the_pages(events):
    before = _expected()
    first = keyset_page(_events(), order=ORDER, bind="list", size=10)
    # when a row that sorts onto the first page (urgent, newest) arrives after it was read
    AuditEvent.objects.create(action="urgent")
    second = keyset_page(_events(), first.next_cursor, order=ORDER, bind="list", size=10)
    # then page two starts right after page one's last row: nothing repeated, nothing skipped
    assert [row.pk for row in first] == before[:10]
    assert [row.pk for row in second] == before[10:20]


def test_a_forged_cursor_or_one_of_another_list_or_filters_is_the_first_page(events):
    page_one = keyset_page(_events(), order=ORDER, bind=bind_filters("a", {"q": "x"}), size=5)
    cursor = page_one.next_cursor
    for bind in (bind_filters("b", {"q": "x"}), bind_filters("a", {"q": "y"})):
        page = keyset_page(_events(), cursor, order=ORDER, bind=bind, size=5)
        assert page.is_first
        assert [r.pk for r in page] == [r.pk for r in page_one]
    for forged in ("forged", cursor[:-3] + "abc", "W10:1abc:def"):
        assert keyset_page(
            _events(), forged, order=ORDER, bind=bind_filters("a", {"q": "x"})
        ).is_first
    # the cursor for its own list and filters is page two
    assert not keyset_page(
        _events(), cursor, order=ORDER, bind=bind_filters("a", {"q": "x"}), size=5
    ).is_first


def test_the_links_keep_the_filters_in_a_stable_order():
    page = keyset_page(
        AuditEvent.objects.none(), order=("-at",), filters={"status": "new", "q": "Иванов", "x": ""}
    )
    assert page.filters_query == "q=%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2&status=new"
    assert not page.has_other_pages


def test_a_null_in_a_column_is_refused_loudly_not_skipped(events):
    # (only the rows without an address: PostgreSQL sorts NULL last, SQLite first)
    with pytest.raises(ValueError, match="coalesce"):
        keyset_page(AuditEvent.objects.filter(ip__isnull=True), order=("ip",), size=1)
