"""docs/domain.md «Reference portals: signing in»: staff work under a customer's account — with a reason, a banner, read-only unless
allowed, audited at start and end, and visible to the customer."""

import pytest
from django.urls import reverse
from django.utils import timezone

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


# --- limits of a visit --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        reverse("account_email"),
        reverse("account_change_password"),
        reverse("mfa_index"),
        reverse("usersessions_list"),
        reverse("admin:index"),
        reverse("backoffice:home"),
        reverse("backoffice:users"),
    ],
)
def test_only_the_customers_own_pages_work_while_impersonating(
    client, administrator, customer, organisation, url
):
    start(client, administrator, customer)
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403
    # the portal's pages still work, and so does «return»
    assert client.get(reverse("portal:profile")).status_code == 200


def test_logout_ends_the_visit(client, operator, customer, organisation):
    from kabinet.identity.models import ImpersonationSession

    start(client, operator, customer)
    client.post(reverse("account_logout"))
    visit = ImpersonationSession.objects.get()
    assert visit.ended_at is not None
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="impersonation.end", subject_user=customer).exists()


def test_a_visit_ends_after_its_maximum_duration(
    client, operator, customer, organisation, settings
):
    import datetime as dt

    from kabinet.identity.models import ImpersonationSession

    settings.KABINET_IMPERSONATION_MAX_MINUTES = 30
    start(client, operator, customer)
    ImpersonationSession.objects.update(started_at=timezone.now() - dt.timedelta(minutes=31))
    # when the staff member opens a page after the half hour, they are themselves again
    page = client.get(reverse("portal:profile")).content.decode()
    assert customer.email not in page
    assert ImpersonationSession.objects.get().ended_at is not None
    end = AuditEvent.objects.get(action="impersonation.end")
    assert end.data.get("expired") is True


def test_every_write_is_audited_with_the_staff_member_the_customer_and_the_visit(
    client, administrator, customer, organisation
):
    from kabinet.identity.models import ImpersonationSession

    start(client, administrator, customer)
    visit = ImpersonationSession.objects.get()
    client.post(
        reverse("portal:profile"),
        {"last_name": "Иванова-Петрова", "first_name": "Анна", "patronymic": "", "phone": ""},
    )
    started = AuditEvent.objects.get(action="impersonation.start")
    writes = AuditEvent.objects.filter(id__gt=started.id)
    assert {"profile.update", "impersonation.write"} <= set(writes.values_list("action", flat=True))
    for event in writes:
        assert event.actor == administrator, event.action
        assert event.subject_user == customer, event.action
        assert event.data.get("impersonation") == visit.pk, event.action


def test_the_customer_is_told_by_mail_when_a_visit_starts(
    client, operator, customer, organisation, django_capture_on_commit_callbacks
):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        start(client, operator, customer)
    letter = mail.outbox[-1]
    assert letter.to == [customer.email]
    assert "Обращение № 17" in letter.body
    assert "никогда не просят назвать ваш пароль" in letter.body
