"""Grid connection applications (issue 12, DOMAIN.md § 8): the variants as request types, the
cadastral number check, the stages with their deadlines, payment of the offer and its cancellation."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from kabinet.customers.models import Customer, Membership
from kabinet.customers.tests.factories import CustomerFactory, member
from kabinet.grid.cadastral import validate_cadastral_number
from kabinet.grid.shipped import CONNECTION_KEYS
from kabinet.grid.tests.factories import VALUES, application, connection_type
from kabinet.notifications.models import Notification
from kabinet.servicedesk import selectors, services
from kabinet.servicedesk.calendar import read_calendar_file
from kabinet.servicedesk.models import Request, RequestType
from kabinet.servicedesk.schema import validate_documents, validate_schema, validate_workflow
from kabinet.servicedesk.tests.factories import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    return CustomerFactory(
        name="Смирнов Алексей Викторович", kind=Customer.Kind.INDIVIDUAL, inn="", kpp=""
    )


@pytest.fixture
def owner(customer):
    return member(customer, Membership.Role.OWNER, email="smirnov@example.ru")


@pytest.fixture(autouse=True)
def calendar():
    services.calendar_load(actor=None, years=read_calendar_file())


def test_the_four_variants_of_the_new_request_list_are_shipped_as_valid_types(owner, customer):
    connection_type()
    types = RequestType.objects.filter(key__in=CONNECTION_KEYS).order_by("order")
    assert [t.name for t in types] == [
        "Заявка на технологическое присоединение: физическое лицо до 15 кВт",
        "Заявка на технологическое присоединение: юридическое лицо или ИП до 150 кВт",
        "Заявка на временное технологическое присоединение",
        "Заявка на изменение максимальной мощности",
    ]
    for request_type in types:
        validate_schema(request_type.form_schema)
        validate_workflow(request_type.workflow)
        validate_documents(request_type.documents)
        assert request_type.consent_text and request_type.documents
    offered = selectors.request_types_for(owner, customer, module="servicedesk")
    assert set(CONNECTION_KEYS) - {"connection_business"} <= {t.key for t in offered}


@pytest.mark.parametrize(
    ("kind", "offered", "refused"),
    [
        (
            Customer.Kind.INDIVIDUAL,
            {"connection_individual", "connection_temporary", "connection_capacity"},
            "connection_business",
        ),
        (
            Customer.Kind.LEGAL_ENTITY,
            {"connection_business", "connection_temporary", "connection_capacity"},
            "connection_individual",
        ),
        (
            Customer.Kind.SOLE_PROPRIETOR,
            {"connection_business", "connection_temporary", "connection_capacity"},
            "connection_individual",
        ),
    ],
)
def test_each_variant_is_offered_only_to_the_customer_types_it_is_for(kind, offered, refused):
    # given a customer of this kind
    connection_type()
    client_customer = CustomerFactory(kind=kind)
    person = member(client_customer, Membership.Role.OWNER)
    # then the «new request» list offers only its variants
    shown = {
        t.key for t in selectors.request_types_for(person, client_customer, module="servicedesk")
    }
    assert shown & set(CONNECTION_KEYS) == offered
    # and filing the other one (a forged form) is refused by the server
    with pytest.raises(Http404):
        selectors.request_type_get_for(person, client_customer, refused, module="servicedesk")
    with pytest.raises(PermissionDenied):
        application(person, client_customer, key=refused)


@pytest.mark.parametrize("value", ["50:21:0110102:1234", "77:01:000401:1", " 50:21:0110102:12 "])
def test_a_cadastral_number_in_the_rosreestr_format_passes(value):
    validate_cadastral_number(value)


@pytest.mark.parametrize("value", ["50-21-0110102-1234", "5:21:0110102:1", "50:21:01101:1", "abc"])
def test_a_cadastral_number_in_another_format_is_refused(value):
    with pytest.raises(ValidationError, match="50:21:0110102:1234"):
        validate_cadastral_number(value)


def test_filing_checks_the_cadastral_number_power_limit_and_consent(owner, customer):
    with pytest.raises(ValidationError) as error:
        services.request_create(
            actor=owner,
            request_type=connection_type(),
            customer=customer,
            values={**VALUES, "cadastral_number": "50-21-1", "power_kw": "16"},
            consent=False,
        )
    errors = error.value.message_dict
    assert "50:21:0110102:1234" in errors["cadastral_number"][0]
    assert errors["power_kw"] and errors["consent"]
    assert not Request.objects.exists()


def test_a_filed_application_is_received_with_its_documents_and_a_deadline(owner, customer):
    app = application(owner, customer)
    assert app.number.startswith("ТП-")
    assert app.status == "received"
    # one file per required document of the variant, each knowing which document it is
    assert sorted(app.attachments.values_list("document", flat=True)) == [
        "application",
        "passport",
        "plan",
        "title",
    ]
    # 3 working days for checking documents, counted by the production calendar
    assert app.status_due_on is not None and app.status_due_on > timezone.localdate()


def _walk(app, operator, *path):
    for status in path:
        # the offer stage is entered with billing's invoice (its amount in the context)
        context = {"amount": Decimal("550.00")} if status == "offer" else None
        services.request_change_status(actor=operator, req=app, status=status, context=context)


def test_the_offer_stage_is_not_entered_by_hand_without_the_invoice(owner, customer, operator):
    app = application(owner, customer)
    _walk(app, operator, "documents_checked")
    with pytest.raises(ValidationError, match="Разместить оферту"):
        services.request_change_status(actor=operator, req=app, status="offer")
    app.refresh_from_db()
    assert app.status == "documents_checked" and not app.documents.exists()


def test_staff_move_an_application_only_along_its_stages(owner, customer, operator):
    app = application(owner, customer)
    # refused: jumping over stages
    for wrong in ("offer", "contract", "act", "supply"):
        with pytest.raises(ValidationError):
            services.request_change_status(actor=operator, req=app, status=wrong)
    allowed = [
        "needs_documents",
        "received",
        "documents_checked",
        "offer",
        "contract",
        "notice",
        "inspection",
        "contract",
        "notice",
        "inspection",
        "act",
    ]
    _walk(app, operator, *allowed)
    # refused: «supply» by hand while the act is not signed (in the portal or on paper)
    with pytest.raises(ValidationError, match="заявитель ещё не подписал акт"):
        services.request_change_status(actor=operator, req=app, status="supply")
    app.refresh_from_db()
    assert app.status == "act"
    # allowed once the applicant's signature under the act is on record
    from kabinet.documents.models import Document, Kind, Status

    Document.objects.create(
        request=app, title="Акт", purpose="signature", kind=Kind.ACT, status=Status.SIGNED
    )
    _walk(app, operator, "supply")
    assert app.is_closed and app.status_due_on is None
    # a supplied connection never moves again
    with pytest.raises(ValidationError):
        services.request_change_status(actor=operator, req=app, status="cancelled")


def test_the_applicants_answer_returns_missing_documents_to_checking(owner, customer, operator):
    app = application(owner, customer)
    _walk(app, operator, "needs_documents")
    services.request_reply(actor=owner, req=app, text="Прилагаю план участка.")
    app.refresh_from_db()
    assert app.status == "received"


def test_paying_the_offer_concludes_the_contract_once(owner, customer, operator):
    app = application(owner, customer)
    _walk(app, operator, "documents_checked", "offer")
    # when the payment arrives (twice: a repeated notification)
    assert services.request_payment_received(actor=None, req=app, reference="P-1") is True
    assert services.request_payment_received(actor=None, req=app, reference="P-1") is False
    app.refresh_from_db()
    # then the contract is concluded and the fulfilment deadline (4 months) runs from today
    assert app.status == "contract"
    assert app.status_due_on is not None
    assert app.status_due_on >= timezone.localdate() + timedelta(days=119)


def test_an_offer_unpaid_for_5_working_days_is_cancelled_with_a_notice(owner, customer, operator):
    app = application(owner, customer)
    _walk(app, operator, "documents_checked", "offer")
    Request.objects.filter(pk=app.pk).update(status_due_on=timezone.localdate() - timedelta(days=1))
    Notification.objects.all().delete()
    assert services.requests_apply_overdue() == 1
    assert services.requests_apply_overdue() == 0
    app.refresh_from_db()
    assert app.status == "cancelled" and app.is_closed
    assert Notification.objects.filter(user=owner).count() == 1


def test_the_timeline_shows_done_current_and_next_stages(owner, customer, operator):
    app = application(owner, customer)
    _walk(app, operator, "documents_checked", "offer")
    stages = selectors.stages_for(app, staff=False)
    assert [s.state for s in stages] == ["done"] * 2 + ["current"] + ["next"] * 5
    received, _checked, offer = stages[:3]
    assert received.label == "Заявка получена" and received.done_on == timezone.localdate()
    assert offer.owner == "customer" and "оплатите счёт" in offer.expect
    assert offer.due_on == app.status_due_on and not offer.overdue
    # the Russian plural forms come with the catalogue (make messages); the rule is the workflow's
    assert stages[3].rule.startswith("4 месяц")
    # overdue: shown as such
    Request.objects.filter(pk=app.pk).update(status_due_on=date(2020, 1, 1))
    app.refresh_from_db()
    assert selectors.stages_for(app, staff=False)[2].overdue


def test_a_request_for_more_documents_shows_in_place_of_the_next_stage(owner, customer, operator):
    app = application(owner, customer)
    _walk(app, operator, "needs_documents")
    stages = selectors.stages_for(app, staff=False)
    assert [s.key for s in stages[:3]] == ["received", "needs_documents", "documents_checked"]
    assert stages[1].state == "current" and stages[1].expect


def test_another_customers_application_is_not_found(owner, customer):
    app = application(owner, customer)
    stranger = member(CustomerFactory(), Membership.Role.OWNER)
    with pytest.raises(Http404):
        selectors.request_get_for(stranger, app.public_id)


def test_a_deployment_without_grid_connection_does_not_offer_the_variants(
    owner, customer, settings
):
    connection_type()
    settings.KABINET_MODULES = ("servicedesk", "notifications")
    offered = {t.key for t in selectors.request_types_for(owner, customer, module="servicedesk")}
    assert not offered & set(CONNECTION_KEYS) and "appeal" in offered
    with pytest.raises(PermissionDenied):
        application(owner, customer)


def test_a_missing_required_document_is_refused_by_its_name():
    customer = CustomerFactory(kind=Customer.Kind.LEGAL_ENTITY)
    owner = member(customer, Membership.Role.OWNER)
    request_type = connection_type("connection_business")
    with pytest.raises(ValidationError) as error:
        services.request_create(
            actor=owner,
            request_type=request_type,
            customer=customer,
            values={**VALUES, "voltage": "6–10 кВ", "power_kw": "120"},
            documents={"application": [pdf("zayavka.pdf")]},
            consent=True,
        )
    errors = error.value.message_dict
    assert errors["doc_founding"] == ["Приложите документ: Учредительные документы."]
    assert {"doc_plan", "doc_title"} <= set(errors) and "doc_attorney" not in errors


# --- the fulfilment deadline by voltage, distance and land (DOMAIN.md § 8) ------------------------


@pytest.mark.parametrize(
    ("values", "rule"),
    [
        # ≤ 0.4 kV, grid within 15 m, no third-party land: 30 working days
        ({"distance_m": "15", "third_party_land": "Нет"}, {"working_days": 30}),
        # 15 m but across a neighbour's plot: 4 months (within 300 m in a town)
        ({"distance_m": "15", "third_party_land": "Да"}, {"months": 4}),
        ({"distance_m": "300", "settlement": "В городе"}, {"months": 4}),
        ({"distance_m": "301", "settlement": "В городе"}, {"months": 6}),
        ({"distance_m": "500", "settlement": "В сельской местности"}, {"months": 4}),
        ({"distance_m": "501", "settlement": "В сельской местности"}, {"months": 6}),
    ],
)
def test_the_fulfilment_deadline_is_chosen_by_the_rules_of_the_workflow(values, rule):
    from kabinet.servicedesk.calendar import deadline_for

    contract = connection_type().status("contract")
    assert deadline_for(contract, {**VALUES, **values}) == rule


def test_the_fulfilment_deadline_falls_back_to_a_year_without_a_matching_rule():
    from kabinet.servicedesk.calendar import deadline_for

    contract = connection_type("connection_business").status("contract")
    values = {**VALUES, "distance_m": "2000", "power_kw": "151"}
    assert deadline_for(contract, values) == {"months": 12}


def test_30_working_days_are_counted_across_the_new_year_holidays(owner, customer, operator):
    # given an application 10 m from the grid at 0.4 kV, no third-party land
    app = application(owner, customer, distance_m="10", third_party_land="Нет")
    _walk(app, operator, "documents_checked", "offer")
    # when the contract is concluded on 25.12.2026 (the payment arrives that day)
    with _today(date(2026, 12, 25)):
        services.request_payment_received(actor=None, req=app, reference="P-1")
    app.refresh_from_db()
    # then 30 working days skip the weekends and 01.01–08.01.2027 (the production calendar)
    assert app.status == "contract"
    assert app.status_due_on == date(2027, 2, 16)
    # and the timeline says the rule of this application
    contract = next(s for s in selectors.stages_for(app, staff=False) if s.key == "contract")
    assert contract.rule.startswith("30 рабоч") and contract.due_on == date(2027, 2, 16)


def _today(day):
    from datetime import datetime, time
    from unittest import mock

    moment = datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone())
    return mock.patch("django.utils.timezone.now", return_value=moment)
