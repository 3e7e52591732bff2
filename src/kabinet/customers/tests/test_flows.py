"""Flows a single service owns from start to end, in one transaction: linking a household account,
accepting an invitation, deciding a link request — and customers' mail through the outbox."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from kabinet.core.models import AuditEvent
from kabinet.customers import account_services
from kabinet.customers import services as customer_services
from kabinet.customers.account_notify import EVENT_LINK_DECIDED
from kabinet.customers.models import AccountLink, Customer, Membership
from kabinet.customers.tests.factories import CustomerFactory, account, household, member
from kabinet.identity.tests.factories import UserFactory
from kabinet.notifications.models import Notification, OutboxMessage
from kabinet.notifications.tests.helpers import sent_after_an_outage

pytestmark = pytest.mark.django_db
Role = Membership.Role


def _request(user):
    request = RequestFactory().post("/")
    request.user, request.session = user, {}
    return request


# --- linking a household account ------------------------------------------------------------------


def test_a_wrong_proof_leaves_no_household_behind():
    # given a new subscriber with no customer yet, and their account in the billing system
    account(number="7701000101")
    person = UserFactory()
    # when the first link fails on the proof
    with pytest.raises(ValidationError):
        account_services.account_link(
            actor=person,
            customer=None,
            number="7701000101",
            last_name="Иванова",
            proof="WRONG000",
        )
    # then no customer was made for them, and the refusal is in their security log
    assert not Customer.objects.filter(memberships__user=person).exists()
    assert AuditEvent.objects.filter(action="account.link_failed", actor=person).exists()


def test_the_first_right_link_makes_the_household_and_shows_it():
    acc = account(number="7701000102")
    person = UserFactory()
    request = _request(person)
    linked = account_services.account_link(
        actor=person,
        customer=None,
        number="7701000102",
        last_name="Иванова",
        proof="AB12CD34",
        request=request,
    )
    household_customer = Customer.objects.get(memberships__user=person)
    assert linked == acc
    assert AccountLink.objects.filter(account=acc, customer=household_customer).exists()
    assert Membership.objects.get(user=person).role == Role.OWNER
    # the portal now shows this customer and this account
    assert request.session[customer_services.ACTIVE_CUSTOMER_SESSION_KEY] == str(
        household_customer.public_id
    )
    assert request.session[account_services.ACTIVE_ACCOUNT_SESSION_KEY] == str(acc.public_id)


def test_a_refused_link_request_leaves_no_household_behind():
    person = UserFactory()
    with pytest.raises(ValidationError):
        account_services.account_link_request_submit(
            actor=person, customer=None, number="  ", last_name="Иванова"
        )
    assert not Customer.objects.filter(memberships__user=person).exists()


# --- deciding a link request -------------------------------------------------------------------


def test_deciding_a_link_request_notifies_the_person_who_asked(operator):
    # given a pending request for an existing account
    account(number="7701000120", owner=("Смирнов", "Алексей", "Викторович"))
    customer, owner = household()
    pending = account_services.account_link_request_submit(
        actor=owner, customer=customer, number="7701000120", last_name="Смирнов"
    )
    # when the operator approves it through the service alone (no face involved)
    account_services.account_link_request_decide(actor=operator, link_request=pending, approve=True)
    # then the person who asked has the notice in the bell and a letter in the outbox
    assert Notification.objects.filter(user=owner, event=EVENT_LINK_DECIDED).exists()
    assert OutboxMessage.objects.filter(user=owner, event=EVENT_LINK_DECIDED).exists()


def test_a_refused_decision_sends_no_notice(operator):
    account(number="7701000121", owner=("Смирнов", "Алексей", "Викторович"))
    customer, owner = household()
    wrong = account_services.account_link_request_submit(
        actor=owner, customer=customer, number="7701000121", last_name="Сидоров"
    )
    with pytest.raises(ValidationError):  # the surname does not match: nothing is decided
        account_services.account_link_request_decide(
            actor=operator, link_request=wrong, approve=True
        )
    assert not Notification.objects.filter(event=EVENT_LINK_DECIDED).exists()
    assert not OutboxMessage.objects.filter(event=EVENT_LINK_DECIDED).exists()


# --- accepting an invitation -----------------------------------------------------------------------


def test_accepting_an_invitation_makes_its_customer_the_active_one():
    company = CustomerFactory()
    owner = member(company, Role.OWNER)
    invitation, _token = customer_services.membership_invite(
        actor=owner, customer=company, email="buh@prokat.example", role=Role.ACCOUNTANT
    )
    request = _request(AnonymousUser())
    customer_services.invitation_accept(
        invitation=invitation, password="Bukhgalter-2026!", last_name="Соколова", request=request
    )
    assert request.session[customer_services.ACTIVE_CUSTOMER_SESSION_KEY] == str(company.public_id)


# --- customers' mail: through the outbox, retried ---------------------------------------------------


def test_an_invitation_is_retried_while_smtp_is_down(settings, django_capture_on_commit_callbacks):
    company = CustomerFactory()
    owner = member(company, Role.OWNER)
    rows = sent_after_an_outage(
        settings,
        django_capture_on_commit_callbacks,
        lambda: customer_services.membership_invite(
            actor=owner, customer=company, email="buh@prokat.example", role=Role.ACCOUNTANT
        ),
    )
    assert [(r.channel, r.recipient) for r in rows] == [("email", "buh@prokat.example")]
    assert [m.to for m in mail.outbox] == [["buh@prokat.example"]]
    assert "/invitation/" in mail.outbox[0].body
