"""Per-status deadlines (SLA) of any request type, counted by the production calendar."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from kabinet.customers.models import Membership
from kabinet.customers.tests.factories import CustomerFactory, member
from kabinet.servicedesk import selectors, services
from kabinet.servicedesk.calendar import (
    add_months,
    add_working_days,
    deadline_due,
    read_calendar_file,
)
from kabinet.servicedesk.models import CalendarDay, Request
from kabinet.servicedesk.schema import validate_workflow
from kabinet.servicedesk.tests.factories import support_ticket, support_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar():
    """The shipped calendar (a transactional test may have flushed the migration's rows)."""
    services.calendar_load(actor=None, years=read_calendar_file())


def test_working_days_skip_the_new_year_holidays_and_weekends(calendar):
    # given 30.12.2025 (Tuesday): 31.12 is a holiday by the 2025 decree, 01–11.01.2026 are off
    # when counting 2 working days
    # then the first is 12.01.2026 after the holidays and the second 13.01
    assert add_working_days(date(2025, 12, 30), 1) == date(2026, 1, 12)
    assert add_working_days(date(2025, 12, 30), 2) == date(2026, 1, 13)


def test_a_working_saturday_counts_and_a_weekday_holiday_does_not(calendar):
    # 31.10.2025 (Friday) → 01.11.2025 is a working Saturday; 03.11 and 04.11 are holidays
    assert add_working_days(date(2025, 10, 31), 1) == date(2025, 11, 1)
    assert add_working_days(date(2025, 10, 31), 2) == date(2025, 11, 5)


def test_without_calendar_rows_only_weekends_are_skipped():
    CalendarDay.objects.all().delete()
    assert add_working_days(date(2025, 12, 30), 2) == date(2026, 1, 1)


def test_months_and_calendar_days():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 4) == date(2027, 3, 15)
    assert deadline_due(date(2026, 3, 1), {"days": 30}) == date(2026, 3, 31)
    assert deadline_due(date(2026, 3, 1), {"months": 6}) == date(2026, 9, 1)
    assert deadline_due(date(2026, 3, 1), None) is None


def test_next_years_calendar_loads_from_a_file_without_a_release(tmp_path, calendar):
    # given a decree that makes 02.03.2027 (Tuesday) a day off
    path = tmp_path / "2027.json"
    path.write_text(
        json.dumps({"years": {"2027": {"verified": True, "holidays": ["2027-03-02"]}}}),
        encoding="utf-8",
    )
    # when an administrator loads it
    call_command("load_production_calendar", str(path))
    # then 2027 is exactly that file, other years stay
    assert list(CalendarDay.objects.filter(date__year=2027).values_list("date", "verified")) == [
        (date(2027, 3, 2), True)
    ]
    assert CalendarDay.objects.filter(date=date(2026, 1, 9)).exists()
    assert add_working_days(date(2027, 3, 1), 1) == date(2027, 3, 3)


def test_a_wrong_calendar_file_is_refused(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"years": {"2027": {"working_weekends": ["2027-03-02"]}}}))
    with pytest.raises(ValueError, match="weekday"):
        read_calendar_file(path)


def test_the_shipped_calendar_says_which_years_are_checked_against_the_decrees():
    # a year not checked against its decree says so (and why), so an operator knows what to load
    years = {y.year: y for y in read_calendar_file()}
    assert years[2026].verified
    assert not years[2025].verified and not years[2027].verified


def test_a_workflow_deadline_must_be_one_known_unit():
    workflow = support_type().workflow
    workflow["statuses"][0]["deadline"] = {"weeks": 2}
    with pytest.raises(ValidationError):
        validate_workflow(workflow)
    workflow["statuses"][0]["deadline"] = {"working_days": 2}
    validate_workflow(workflow)


def _with_deadlines(request_type, **deadlines):
    for status in request_type.workflow["statuses"]:
        if status["key"] in deadlines:
            status["deadline"] = deadlines[status["key"]]
    request_type.save()
    return request_type


def test_the_support_type_gets_per_status_deadlines_without_new_code(calendar, operator):
    # given the shipped support type with 2 working days for «new» and 5 calendar days «waiting»
    _with_deadlines(support_type(), new={"working_days": 2}, waiting={"days": 5})
    company = CustomerFactory()
    owner = member(company, Membership.Role.OWNER)
    # when a ticket is filed on 30.12.2025
    with timezone.override("Europe/Moscow"):
        filed_at = datetime(2025, 12, 30, 7, 0, tzinfo=UTC)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(timezone, "now", lambda: filed_at)
            ticket = support_ticket(owner, company)
            # then it is due after the holidays
            assert ticket.status_due_on == date(2026, 1, 13)
            # and entering «waiting» counts its own deadline from that day
            services.request_change_status(actor=operator, req=ticket, status="waiting")
            assert ticket.status_due_on == date(2026, 1, 4)
            # and a closed request has no due date
            services.request_change_status(actor=operator, req=ticket, status="closed")
            assert ticket.status_due_on is None and not ticket.is_overdue


def test_staff_queues_put_overdue_requests_first(calendar, operator):
    # given three open tickets: one due long ago, one due in the future, one without a deadline
    company = CustomerFactory()
    owner = member(company, Membership.Role.OWNER)
    undated, future, late = (support_ticket(owner, company) for _ in range(3))
    today = timezone.localdate()
    Request.objects.filter(pk=late.pk).update(status_due_on=today - timedelta(days=3))
    Request.objects.filter(pk=future.pk).update(status_due_on=today + timedelta(days=3))
    Request.objects.filter(pk=undated.pk).update(status_due_on=None)
    # when staff open the queue
    queue = list(selectors.request_queue_for_staff(operator))
    # then the overdue one leads, then the nearest deadline, then the rest oldest first
    assert [r.pk for r in queue] == [late.pk, future.pk, undated.pk]
    assert queue[0].is_overdue and not queue[1].is_overdue
    assert [r.pk for r in selectors.request_queue_for_staff(operator, overdue=True)] == [late.pk]


def test_an_overdue_status_with_on_overdue_moves_once_with_a_notice(calendar, operator):
    # given the support type's «waiting» status moves to «closed» when its 5 days pass
    request_type = _with_deadlines(support_type(), waiting={"days": 5})
    for status in request_type.workflow["statuses"]:
        if status["key"] == "waiting":
            status["on_overdue"] = "closed"
    request_type.save()
    company = CustomerFactory()
    owner = member(company, Membership.Role.OWNER)
    ticket = support_ticket(owner, company)
    services.request_change_status(actor=operator, req=ticket, status="waiting")
    fresh = support_ticket(owner, company)
    services.request_change_status(actor=operator, req=fresh, status="waiting")
    Request.objects.filter(pk=ticket.pk).update(
        status_due_on=timezone.localdate() - timedelta(days=1)
    )
    # when the daily job runs twice
    first = services.requests_apply_overdue()
    second = services.requests_apply_overdue()
    # then only the overdue ticket moved, once, and its timeline says so
    ticket.refresh_from_db()
    fresh.refresh_from_db()
    assert (first, second) == (1, 0)
    assert ticket.status == "closed" and fresh.status == "waiting"
    assert ticket.events.filter(kind="status", data__overdue=True).count() == 1


# --- rules on the type: deadlines by the answers, who may file, moves on a signed document -------


def test_a_status_deadline_may_be_chosen_by_the_requests_answers():
    from kabinet.servicedesk.calendar import deadline_for

    status = {
        "key": "work",
        "deadline": {"months": 12},
        "deadline_rules": [
            {"when": {"urgency": ["высокая"], "size": {"max": 10}}, "deadline": {"days": 1}},
            {"when": {"size": {"min": 11, "max": 100}}, "deadline": {"working_days": 5}},
        ],
    }
    assert deadline_for(status, {"urgency": "высокая", "size": "10"}) == {"days": 1}
    assert deadline_for(status, {"urgency": "низкая", "size": "10,5"}) == {"months": 12}
    assert deadline_for(status, {"size": "50"}) == {"working_days": 5}
    assert deadline_for(status, {"size": "много"}) == {"months": 12}
    assert deadline_for(status, None) == {"months": 12}


def test_malformed_deadline_rules_and_on_signed_are_refused():
    workflow = support_type().workflow
    workflow["statuses"][0]["deadline_rules"] = [{"when": {"size": {"over": 3}}, "deadline": {}}]
    with pytest.raises(ValidationError):
        validate_workflow(workflow)
    workflow["statuses"][0]["deadline_rules"] = [
        {"when": {"size": {"max": 3}}, "deadline": {"weeks": 1}}
    ]
    with pytest.raises(ValidationError):
        validate_workflow(workflow)
    workflow["statuses"][0]["deadline_rules"] = [
        {"when": {"size": {"max": 3}}, "deadline": {"days": 1}}
    ]
    validate_workflow(workflow)
    first = workflow["statuses"][0]["key"]
    workflow["on_signed"] = {first: {"kind": "act", "to": "nowhere"}}
    with pytest.raises(ValidationError):
        validate_workflow(workflow)


def test_customer_types_limit_who_is_offered_the_type_and_are_checked():
    request_type = support_type()
    request_type.customer_types = ["individual"]
    request_type.save()
    company = CustomerFactory()  # a legal entity
    owner = member(company, Membership.Role.OWNER)
    offered = selectors.request_types_for(owner, company, module=request_type.module)
    assert request_type not in offered
    request_type.customer_types = ["company"]
    with pytest.raises(ValidationError) as error:
        request_type.clean()
    assert "customer_types" in error.value.message_dict


def test_a_signed_document_moves_a_request_only_where_the_workflow_says(calendar, operator):
    request_type = support_type()
    first, second = (s["key"] for s in request_type.workflow["statuses"][:2])
    request_type.workflow["on_signed"] = {first: {"kind": "act", "to": second}}
    request_type.save()
    company = CustomerFactory()
    owner = member(company, Membership.Role.OWNER)
    ticket = support_ticket(owner, company)
    assert ticket.status == first
    # another kind moves nothing; the named kind moves once
    assert not services.request_document_signed(
        actor=owner, req=ticket, kind="offer", reference="A"
    )
    assert services.request_document_signed(actor=owner, req=ticket, kind="act", reference="A")
    assert not services.request_document_signed(actor=owner, req=ticket, kind="act", reference="A")
    ticket.refresh_from_db()
    assert ticket.status == second
