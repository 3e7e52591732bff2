"""The request engine's rules: filing against the schema, workflow, reopen window, visibility."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from kabinet.customers.models import Membership
from kabinet.customers.tests.factories import CustomerFactory, member
from kabinet.servicedesk import selectors, services
from kabinet.servicedesk.models import Request, RequestEvent, RequestType
from kabinet.servicedesk.objects import (
    object_source,
    register_object_source,
    unregister_object_source,
)
from kabinet.servicedesk.tests.factories import pdf, shipped_type, support_ticket, support_type

Role = Membership.Role
pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return CustomerFactory(name="ООО «Связь-Клиент»")


@pytest.fixture
def owner(company):
    return member(company, Role.OWNER, email="owner@svyaz.example")


def test_a_support_ticket_gets_a_number_the_initial_status_and_its_values(owner, company):
    ticket = support_ticket(owner, company, files=[pdf()])
    year = timezone.localdate().year
    assert ticket.number == f"ЗВ-{year}-000001"
    assert ticket.status == "new" and not ticket.is_closed
    # the list of serial numbers is split at «;», the subject comes from the form
    assert ticket.values["serials"] == ["SN100200", "SN100201"]
    assert ticket.subject == "Коммутатор не загружается"
    assert ticket.attachments.get().name == "akt.pdf"
    assert list(ticket.participants.all()) == [owner]
    assert support_ticket(owner, company).number == f"ЗВ-{year}-000002"


def test_values_are_checked_against_the_schema_with_russian_messages(owner, company):
    with pytest.raises(ValidationError) as error:
        support_ticket(owner, company, values={"serials": " ; ", "ticket_type": "Нет такого"})
    messages = error.value.message_dict
    assert messages["serials"] == ["Обязательное поле."]
    assert "Выберите корректный вариант" in messages["ticket_type"][0]
    assert not Request.objects.exists()


def test_unknown_fields_are_refused(owner, company):
    with pytest.raises(ValidationError):
        support_ticket(owner, company, values={"salary": "1"})


def test_a_schema_with_a_bad_field_kind_is_refused_in_the_admin():
    request_type = support_type()
    request_type.form_schema = [{"name": "x", "label": "X", "kind": "colour"}]
    with pytest.raises(ValidationError) as error:
        request_type.clean()
    assert "form_schema" in error.value.message_dict


def test_object_fields_offer_what_a_domain_registered_and_store_its_label(owner, company):
    # given a domain offering shipments and a claim type referring to them
    # supply registers the real source; this test stands in for it and puts it back afterwards
    previous = object_source("supply.shipment")
    register_object_source(
        "supply.shipment",
        "Отгрузка",
        lambda actor: [("S-1", "Отгрузка № 1 от 01.03.2026")],
        lambda actor, pk: pk,
    )
    try:
        claim = services.request_create(
            actor=owner,
            request_type=RequestType.objects.get(key="claim"),
            customer=company,
            values={
                "subject": "Недостача",
                "reason": "Количество (недостача)",
                "shipment": "S-1",
                "amount": "12500,50",
                "text": "Недостача 2 т.",
            },
        )
    finally:
        unregister_object_source("supply.shipment")
        if previous is not None:
            register_object_source(
                previous.key, previous.label, previous.choices_for, previous.get_for
            )
    assert claim.values["shipment"] == {"id": "S-1", "label": "Отгрузка № 1 от 01.03.2026"}
    assert claim.values["amount"] == "12500.5"


def test_only_the_roles_a_type_names_may_file_it(company):
    viewer = member(company, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.request_create(
            actor=viewer,
            request_type=RequestType.objects.get(key="claim"),
            customer=company,
            values={"subject": "x", "reason": "Качество", "text": "y"},
        )


def test_a_customer_closes_and_reopens_within_the_window_only(owner, company, monkeypatch):
    ticket = support_ticket(owner, company)
    services.request_close(actor=owner, req=ticket)
    assert ticket.is_closed and ticket.closed_at is not None
    # within three days: open again
    services.request_reopen(actor=owner, req=ticket)
    assert ticket.status == "in_progress" and ticket.closed_at is None
    services.request_close(actor=owner, req=ticket)
    # when the clock moves past three days after closing
    later = timezone.now() + timedelta(days=3, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with pytest.raises(ValidationError) as error:
        services.request_reopen(actor=owner, req=ticket)
    assert "Создайте новую заявку" in error.value.messages[0]
    # then a new request continues it, and both timelines say so
    follow_up = support_ticket(owner, company, linked_to=ticket)
    assert follow_up.linked_to == ticket
    assert ticket.events.filter(kind=RequestEvent.Kind.LINK, data__follow_up=True).exists()


def test_a_closed_request_takes_no_replies(owner, company):
    ticket = support_ticket(owner, company)
    services.request_close(actor=owner, req=ticket)
    with pytest.raises(ValidationError):
        services.request_reply(actor=owner, req=ticket, text="Ещё вопрос")


def test_a_customer_reply_puts_a_waiting_request_back_to_work(owner, company, operator):
    ticket = support_ticket(owner, company)
    services.request_change_status(actor=operator, req=ticket, status="waiting")
    services.request_reply(actor=owner, req=ticket, text="Лог приложил", files=[pdf("log.pdf")])
    assert ticket.status == "in_progress"


def test_staff_move_along_the_workflow_only(owner, company, operator):
    ticket = support_ticket(owner, company)
    services.request_change_status(actor=operator, req=ticket, status="closed")
    with pytest.raises(ValidationError) as error:
        services.request_change_status(actor=operator, req=ticket, status="waiting")
    assert "нельзя перейти" in error.value.messages[0]


def test_a_customer_cannot_act_as_staff(owner, company):
    ticket = support_ticket(owner, company)
    with pytest.raises(PermissionDenied):
        services.request_change_status(actor=owner, req=ticket, status="in_progress")
    with pytest.raises(PermissionDenied):
        services.request_staff_reply(actor=owner, req=ticket, text="x", internal=True)


def test_internal_notes_and_their_files_never_reach_the_customer(owner, company, operator):
    ticket = support_ticket(owner, company)
    services.request_staff_reply(
        actor=operator,
        req=ticket,
        text="Клиент на особом контроле",
        internal=True,
        files=[pdf("vnutr.pdf")],
    )
    services.request_staff_reply(actor=operator, req=ticket, text="Пришлите лог", internal=False)
    customer_view = selectors.timeline_for(ticket, staff=False)
    texts = [event.text for event in customer_view]
    assert "Пришлите лог" in texts and "Клиент на особом контроле" not in texts
    note_file = ticket.attachments.get(name="vnutr.pdf")
    with pytest.raises(Http404):
        selectors.attachment_get_for(owner, ticket.public_id, note_file.public_id)
    staff_texts = [event.text for event in selectors.timeline_for(ticket, staff=True)]
    assert "Клиент на особом контроле" in staff_texts


@pytest.mark.parametrize(
    ("role", "sees_colleagues_ticket"),
    [(Role.OWNER, True), (Role.MANAGER, True), (Role.ACCOUNTANT, False), (Role.VIEWER, False)],
)
def test_who_in_the_company_sees_a_colleagues_ticket(company, owner, role, sees_colleagues_ticket):
    engineer = member(company, Role.VIEWER, email="engineer@svyaz.example")
    ticket = support_ticket(engineer, company)
    colleague = member(company, role)
    visible = selectors.request_list_for(colleague, company)
    assert (ticket in visible) is sees_colleagues_ticket
    if not sees_colleagues_ticket:
        with pytest.raises(Http404):
            selectors.request_get_for(colleague, ticket.public_id)
        # added as a participant, they see it
        services.request_add_participant(actor=engineer, req=ticket, user=colleague)
        assert selectors.request_get_for(colleague, ticket.public_id) == ticket


def test_another_customer_never_sees_the_request(owner, company, other_customer):
    ticket = support_ticket(owner, company)
    other_company = CustomerFactory()
    Membership.objects.create(user=other_customer, customer=other_company, role=Role.OWNER)
    assert not selectors.request_list_for(other_customer, other_company).exists()
    assert not selectors.request_list_for(other_customer, company).exists()
    with pytest.raises(Http404):
        selectors.request_get_for(other_customer, ticket.public_id)


def test_visibility_is_configured_per_type(company, owner):
    engineer = member(company, Role.VIEWER)
    ticket = support_ticket(engineer, company)
    request_type = support_type()
    request_type.company_visible_roles = []
    request_type.save()
    with pytest.raises(Http404):
        selectors.request_get_for(owner, ticket.public_id)


def test_only_colleagues_can_be_participants(owner, company, other_customer):
    ticket = support_ticket(owner, company)
    with pytest.raises(ValidationError):
        services.request_add_participant(actor=owner, req=ticket, user=other_customer)


def test_merge_closes_the_duplicate_and_joins_participants(owner, company, operator):
    engineer = member(company, Role.VIEWER)
    first = support_ticket(owner, company)
    duplicate = support_ticket(engineer, company)
    services.request_merge(actor=operator, req=duplicate, into=first)
    assert duplicate.is_closed and duplicate.merged_into == first
    assert engineer in first.participants.all()
    with pytest.raises(ValidationError):
        services.request_reopen(actor=engineer, req=duplicate)


def test_anonymous_reception_needs_consent_and_a_contact(db):
    from django.contrib.auth.models import AnonymousUser

    reception = RequestType.objects.get(key="reception_violation")
    values = {
        "last_name": "Громов",
        "first_name": "Пётр",
        "subject": "Провод оборван",
        "text": "На ул. Лесной оборван провод",
        "when": "2026-03-01",
    }
    with pytest.raises(ValidationError) as error:
        services.request_create(
            actor=AnonymousUser(),
            request_type=reception,
            values=values,
            contact_email="gromov@example.ru",
        )
    assert "consent" in error.value.message_dict
    req = services.request_create(
        actor=AnonymousUser(),
        request_type=reception,
        values=values,
        consent=True,
        contact_email="gromov@example.ru",
        contact_name="Громов Пётр",
    )
    assert req.customer is None and req.author is None and req.number.startswith("ИП-")
    assert req.values["when"] == "2026-03-01"


# --- requests staff open to a customer («Полученные») -----------------------------------------


def _message_to(company, operator, **overrides):
    kwargs = {
        "actor": operator,
        "request_type": shipped_type("appeal"),
        "customer": company,
        "subject": "Плановая замена счётчиков",
        "text": "С 10 по 14 марта в вашем доме меняют счётчики. Обеспечьте доступ.",
    }
    kwargs.update(overrides)
    return services.request_open_to_customer(**kwargs)


def test_staff_open_a_request_to_a_customer_audited_and_notified(owner, company, operator):
    from kabinet.core.models import AuditEvent
    from kabinet.notifications.models import Notification

    # given a company with an owner, a manager and a viewer
    manager = member(company, Role.MANAGER, email="manager@svyaz.example")
    viewer = member(company, Role.VIEWER, email="viewer@svyaz.example")
    # when an operator writes to it with a file
    req = _message_to(company, operator, files=[pdf("grafik.pdf")])
    # then it is flagged as received, numbered, with the text and file on its first event
    assert req.initiated_by_staff and req.author is None and req.number.startswith("ОБ-")
    created = req.events.get(kind=RequestEvent.Kind.CREATED)
    assert created.by_staff and created.author == operator and "счётчики" in created.text
    assert [a.name for a in created.attachments.all()] == ["grafik.pdf"]
    # the members who see appeals company-wide are its participants and were notified
    assert set(req.participants.all()) == {owner, manager}
    told = set(
        Notification.objects.filter(event="servicedesk.request_message").values_list(
            "user__email", flat=True
        )
    )
    assert told == {owner.email, manager.email}
    # the viewer neither sees nor hears about it; the audit log names the operator
    with pytest.raises(Http404):
        selectors.request_get_for(viewer, req.public_id)
    audit = AuditEvent.objects.get(action="servicedesk.request_open_to_customer")
    assert audit.actor == operator and audit.data["number"] == req.number


def test_a_named_addressee_sees_the_message_and_can_answer(company, owner, operator):
    viewer = member(company, Role.VIEWER, email="viewer@svyaz.example")
    req = _message_to(company, operator, addressee=viewer)
    assert selectors.request_get_for(viewer, req.public_id) == req
    services.request_reply(actor=viewer, req=req, text="Доступ обеспечим в среду.")
    assert req.events.filter(kind=RequestEvent.Kind.MESSAGE, author=viewer).exists()


def test_received_and_sent_are_told_apart_in_the_list(owner, company, operator):
    sent = support_ticket(owner, company)
    received = _message_to(company, operator)
    assert list(selectors.request_list_for(owner, company, box="sent")) == [sent]
    assert list(selectors.request_list_for(owner, company, box="received")) == [received]
    assert set(selectors.request_list_for(owner, company)) == {sent, received}


def test_only_staff_write_and_only_with_types_that_allow_it(owner, company, operator):
    # a customer cannot use the staff service
    with pytest.raises(PermissionDenied):
        _message_to(company, owner)
    # a claim does not allow staff to open it, and empty fields are named
    with pytest.raises(ValidationError) as error:
        _message_to(company, operator, request_type=shipped_type("claim"), subject=" ", text="")
    assert set(error.value.message_dict) == {"request_type", "subject", "text"}
    # someone of another customer cannot be the addressee
    stranger = member(CustomerFactory(), Role.OWNER)
    with pytest.raises(ValidationError) as error:
        _message_to(company, operator, addressee=stranger)
    assert "addressee" in error.value.message_dict
    assert not Request.objects.filter(initiated_by_staff=True).exists()


def test_nobody_to_tell_is_refused(company, operator):
    # given a company without an owner or a manager (only an accountant)
    member(company, Role.ACCOUNTANT)
    with pytest.raises(ValidationError) as error:
        _message_to(company, operator)
    assert "выберите адресата" in " ".join(error.value.message_dict["addressee"])


def test_the_dashboard_summary_counts_open_requests_and_those_waiting_for_the_customer():
    # given a customer's requests of two types whose workflows wait for the customer in different
    # statuses, one of them closed, and another customer's request waiting too
    customer = CustomerFactory()
    owner = member(customer, Membership.Role.OWNER)
    other = CustomerFactory()
    stranger = member(other, Membership.Role.OWNER)
    second = support_type()
    second.pk, second.key = None, "support_copy"
    second.workflow = {**second.workflow, "on_customer_reply": {"on_hold": "in_progress"}}
    second.save()
    tickets = [support_ticket(owner, customer) for _ in range(5)]
    Request.objects.filter(pk=tickets[0].pk).update(status="waiting")
    Request.objects.filter(pk=tickets[1].pk).update(type=second, status="on_hold")
    Request.objects.filter(pk=tickets[2].pk).update(type=second, status="waiting")  # not its own
    Request.objects.filter(pk=tickets[3].pk).update(status="waiting", closed_at=timezone.now())
    Request.objects.filter(pk=support_ticket(stranger, other).pk).update(status="waiting")
    # when the dashboard asks
    summary = selectors.request_summary_for(owner, customer)
    # then the open ones are counted, and those in a status their own type waits in
    assert summary.open_count == 4
    assert summary.awaiting_count == 2
    assert [r.pk for r in summary.awaiting] == [tickets[1].pk, tickets[0].pk]
