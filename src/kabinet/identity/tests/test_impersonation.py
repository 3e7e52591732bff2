"""Seed 000: staff work under a customer's account — with a reason, a banner, read-only unless
allowed, audited at start and end, and visible to the customer."""

import pytest
from django.urls import reverse

from kabinet.core.models import AuditEvent


def start(client, staff, target, reason="Обращение № 17: клиент не видит счёт"):
    client.force_login(staff)
    return client.post(
        reverse("backoffice:impersonation_start", args=[target.public_id]), {"reason": reason}
    )


def test_operator_sees_the_portal_as_the_customer_with_a_banner(
    client, operator, customer, organisation
):
    # when the operator starts with a reason
    response = start(client, operator, customer)
    assert response.url == reverse("portal:dashboard")
    # then every page is the customer's, with a banner naming who acts
    page = client.get(reverse("portal:profile")).content.decode()
    assert customer.email in page
    assert "работает под учётной записью клиента" in page
    assert "Только просмотр." in page


def test_read_only_mode_refuses_changes(client, operator, customer, organisation):
    start(client, operator, customer)
    response = client.post(
        reverse("portal:profile"),
        {
            "last_name": "Взлом",
            "first_name": "Анна",
            "patronymic": "",
            "phone": "",
        },
    )
    assert response.status_code == 403
    customer.refresh_from_db()
    assert customer.last_name == "Иванова"


def test_administrator_may_write_when_the_role_allows(
    client, administrator, customer, organisation
):
    start(client, administrator, customer)
    response = client.post(
        reverse("portal:profile"),
        {
            "last_name": "Иванова-Петрова",
            "first_name": "Анна",
            "patronymic": "",
            "phone": "",
        },
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.last_name == "Иванова-Петрова"


def test_return_ends_the_visit_and_both_ends_are_audited_for_the_customer(
    client, operator, customer, organisation
):
    start(client, operator, customer)
    client.post(reverse("backoffice:impersonation_stop"))
    # back to the staff member's own identity
    assert client.get(reverse("backoffice:home")).status_code == 200
    events = AuditEvent.objects.filter(subject_user=customer, action__startswith="impersonation")
    assert [e.action for e in events.order_by("at", "id")] == [
        "impersonation.start",
        "impersonation.end",
    ]
    assert events.get(action="impersonation.start").data["reason"].startswith("Обращение № 17")
    # and the customer sees the visit in their own security log
    client.logout()
    client.force_login(customer)
    log = client.get(reverse("portal:security_log")).content.decode()
    assert "Сотрудник начал работу под вашей учётной записью" in log
    assert "Обращение № 17" in log


def test_a_reason_is_mandatory(client, operator, customer, organisation):
    response = start(client, operator, customer, reason="  ")
    assert response.status_code == 400
    assert "Обязательное поле." in response.content.decode()
    assert not AuditEvent.objects.filter(action="impersonation.start").exists()


@pytest.mark.parametrize("who", ["customer", "other_staff"])
def test_customers_and_staff_accounts_cannot_be_used(
    client, operator, customer, other_customer, administrator, organisation, who
):
    if who == "customer":
        client.force_login(customer)
        response = client.post(
            reverse("backoffice:impersonation_start", args=[other_customer.public_id]),
            {"reason": "просто так"},
        )
        assert response.status_code == 403
    else:
        response = start(client, operator, administrator)
        assert response.status_code == 404


def test_the_security_log_shows_only_the_own_account(
    client, customer, other_customer, organisation
):
    from kabinet.core.services import audit_record

    audit_record(action="login.failed", subject_user=other_customer, data={"login": "x"})
    audit_record(action="login.success", actor=customer, subject_user=customer)
    client.force_login(customer)
    page = client.get(reverse("portal:security_log")).content.decode()
    assert "Вход в кабинет" in page
    assert "Неудачная попытка входа" not in page


def test_the_security_log_names_every_own_event_from_the_shared_registry(
    client, customer, organisation
):
    from kabinet.core.services import audit_record

    # given events about the customer's account that identity's old table did not know
    audit_record(action="consent.give", actor=customer, subject_user=customer)
    audit_record(action="membership.accept", actor=customer, subject_user=customer)
    client.force_login(customer)
    # when they open their security log
    page = client.get(reverse("portal:security_log")).content.decode()
    # then each reads in Russian, not as a code
    assert "Дано согласие" in page
    assert "Приглашение принято" in page
    assert "consent.give" not in page and "membership.accept" not in page
