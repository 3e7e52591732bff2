"""Personal accounts: linking with a proof of ownership, throttling, link requests, scoping."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory

from kabinet.core.models import AuditEvent
from kabinet.customers import account_selectors as selectors
from kabinet.customers import account_services as services
from kabinet.customers.models import AccountLink, AccountLinkRequest, Membership
from kabinet.customers.tests.factories import CustomerFactory, account, household, member
from kabinet.identity.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def link(actor, customer, number, **kw):
    data = {"last_name": "Иванова", "proof": "AB12CD34"} | kw
    return services.account_link(actor=actor, customer=customer, number=number, **data)


def test_the_owner_links_an_account_with_the_right_surname_and_receipt_code():
    # given an account from the billing system and an individual customer
    acc = account(number="7701000001")
    customer, owner = household()
    # when the owner types the number with spaces, the surname in another case and the code
    linked = link(owner, customer, "770 100 0001", last_name="ИВАНОВА", proof="ab12 cd34")
    # then the account is theirs, and only theirs
    assert linked == acc
    assert list(selectors.account_list_for(owner, customer)) == [acc]
    assert AuditEvent.objects.filter(action="account.linked", actor=owner).exists()


@pytest.mark.parametrize(
    "number,kw",
    [
        ("7701000002", {"proof": "WRONG000"}),
        ("7701000002", {"last_name": "Петрова"}),
        ("7701000002", {"first_name": "Мария"}),
        ("7701999999", {}),  # no such account
    ],
)
def test_any_mismatch_gets_the_same_answer_so_nothing_leaks(number, kw):
    account(number="7701000002")
    customer, owner = household()
    with pytest.raises(ValidationError) as error:
        link(owner, customer, number, **kw)
    assert error.value.messages[0].startswith("Лицевой счёт не найден или данные не совпадают")
    assert not AccountLink.objects.exists()


def test_failed_attempts_are_throttled_per_user(settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "account_link_failed": "3/h/key",
    }
    account(number="7701000003")
    customer, owner = household()
    for _ in range(3):
        with pytest.raises(ValidationError):
            link(owner, customer, "7701000003", proof="NOPE")
    # even the right proof is refused until the hour has passed
    with pytest.raises(ValidationError) as error:
        link(owner, customer, "7701000003")
    assert error.value.code == "throttled"
    # another user is not affected
    other_customer, other = household()
    assert link(other, other_customer, "7701000003").number == "7701000003"


def test_a_failed_attempt_stays_in_the_owners_security_log():
    from kabinet.identity.selectors import security_log_for

    # given a person whose attempt to link an account fails (inside the caller's transaction,
    # as in a request)
    account(number="7701000009")
    customer, owner = household()
    with pytest.raises(ValidationError):
        link(owner, customer, "7701000009", proof="NOPE")
    # then the failure is recorded although the link was refused, and the person sees it
    failed = AuditEvent.objects.get(action="account.link_failed")
    assert failed.subject_user == owner
    assert [e.action for e in security_log_for(owner)] == ["account.link_failed"]


def test_a_viewer_cannot_link_and_a_company_gets_accounts_from_staff():
    account(number="7701000004")
    customer, _owner = household()
    viewer = member(customer, Membership.Role.VIEWER)
    with pytest.raises(PermissionDenied):
        link(viewer, customer, "7701000004")
    company = CustomerFactory()
    manager = member(company, Membership.Role.MANAGER)
    with pytest.raises(PermissionDenied):
        link(manager, company, "7701000004")


def test_linking_twice_says_so():
    account(number="7701000005")
    customer, owner = household()
    link(owner, customer, "7701000005")
    with pytest.raises(ValidationError) as error:
        link(owner, customer, "7701000005")
    assert error.value.code == "duplicate"


def test_another_customer_reaches_no_account_of_ours():
    customer, owner = household()
    acc = account(customer=customer)
    _other_customer, stranger = household()
    assert selectors.account_get_for(owner, acc.public_id) == acc
    with pytest.raises(Http404):
        selectors.account_get_for(stranger, acc.public_id)
    with pytest.raises(Http404):
        selectors.account_get_for(owner, "not-a-uuid")


def test_the_switcher_follows_the_session_and_falls_back_after_unlinking():
    customer, owner = household()
    first = account(customer=customer, number="7701000010")
    second = account(customer=customer, number="7701000011")
    request = RequestFactory().get("/")
    request.user = owner
    request.session = {}
    assert selectors.account_active_for(request, customer) == first
    services.account_switch(actor=owner, session=request.session, account=second)
    request = _same_session(request)
    assert selectors.account_active_for(request, customer) == second
    services.account_unlink(actor=owner, customer=customer, account=second, session=request.session)
    request = _same_session(request)
    assert selectors.account_active_for(request, customer) == first
    assert list(selectors.account_list_for(owner, customer)) == [first]


def _same_session(previous):
    request = RequestFactory().get("/")
    request.user = previous.user
    request.session = previous.session
    return request


def test_a_link_request_is_approved_by_an_operator_or_rejected_with_a_reason(operator):
    acc = account(number="7701000020", owner=("Смирнов", "Алексей", "Викторович"))
    customer, owner = household()
    pending = services.account_link_request_submit(
        actor=owner, customer=customer, number="7701-000-020", last_name="Смирнов"
    )
    with pytest.raises(ValidationError):  # the same request twice
        services.account_link_request_submit(
            actor=owner, customer=customer, number="7701000020", last_name="Смирнов"
        )
    decided = services.account_link_request_decide(
        actor=operator, link_request=pending, approve=True
    )
    assert decided.status == AccountLinkRequest.Status.APPROVED
    assert list(selectors.account_list_for(owner, customer)) == [acc]
    with pytest.raises(ValidationError):  # decided already
        services.account_link_request_decide(actor=operator, link_request=pending, approve=False)
    # a wrong surname cannot be approved; a rejection needs a reason
    wrong = services.account_link_request_submit(
        actor=owner, customer=customer, number="7701000020", last_name="Сидоров"
    )
    with pytest.raises(ValidationError):
        services.account_link_request_decide(actor=operator, link_request=wrong, approve=True)
    with pytest.raises(ValidationError):
        services.account_link_request_decide(actor=operator, link_request=wrong, approve=False)
    rejected = services.account_link_request_decide(
        actor=operator, link_request=wrong, approve=False, reason="Фамилия не совпадает"
    )
    assert rejected.status == AccountLinkRequest.Status.REJECTED
    # customers cannot decide
    with pytest.raises(PermissionDenied):
        services.account_link_request_decide(actor=owner, link_request=rejected, approve=True)


def test_the_billing_upsert_is_idempotent_and_replaces_services():
    from kabinet.customers.account_services import ServiceLine

    first = account(number="7701000030")
    again = services.account_upsert(
        number="7701000030",
        owner_last_name="Иванова",
        services=[ServiceLine("HW", "Горячее водоснабжение", "м³")],
    )
    assert again.pk == first.pk
    assert [s.code for s in again.services.all()] == ["HW"]


def test_a_user_of_two_customers_sees_each_customers_accounts_apart():
    user = UserFactory()
    home, _ = household(user=user)
    company = CustomerFactory()
    Membership.objects.create(user=user, customer=company, role=Membership.Role.VIEWER)
    flat = account(customer=home)
    office = account(customer=company)
    assert list(selectors.account_list_for(user, home)) == [flat]
    assert list(selectors.account_list_for(user, company)) == [office]
