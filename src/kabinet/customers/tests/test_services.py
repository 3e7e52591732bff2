"""Customers, memberships, invitations, domains and connection applications: the rules people rely on."""

from datetime import timedelta
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from kabinet.core.models import AuditEvent
from kabinet.customers import selectors, services
from kabinet.customers.models import (
    ConnectionApplication,
    Customer,
    EmailDomain,
    Invitation,
    Membership,
)
from kabinet.customers.tests.factories import (
    CustomerFactory,
    household,
    member,
    valid_inn10,
    valid_inn12,
    valid_ogrn,
    valid_ogrnip,
    verified_domain,
)
from kabinet.identity import roles
from kabinet.identity.models import User
from kabinet.identity.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Role = Membership.Role


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


# --- customer type ---------------------------------------------------------------------------


def test_an_individual_registers_with_a_valid_snils_and_becomes_owner(customer):
    # when the user says they are an individual
    company = services.customer_register_type(
        actor=customer, kind="individual", snils="112-233-445 95", phone="+79161234567"
    )
    # then a customer is created in their name with them as owner, the number stored bare
    assert company.kind == Customer.Kind.INDIVIDUAL
    assert company.name == "Иванова Анна Сергеевна"
    assert company.snils == "11223344595"
    assert Membership.objects.get(customer=company).role == Role.OWNER
    assert "customer.register" in actions()


def test_a_sole_proprietor_needs_a_12_digit_inn_and_an_ogrnip(customer):
    inn, ogrnip = valid_inn12(), valid_ogrnip()
    company = services.customer_register_type(
        actor=customer, kind="sole_proprietor", inn=inn, ogrn=ogrnip
    )
    assert (company.inn, company.ogrn) == (inn, ogrnip)
    assert company.name == "ИП Иванова Анна Сергеевна"


def test_a_legal_entity_with_wrong_check_digits_is_refused_field_by_field(customer):
    inn = valid_inn10()
    bad_inn = inn[:-1] + str((int(inn[-1]) + 1) % 10)
    with pytest.raises(ValidationError) as error:
        services.customer_register_type(
            actor=customer, kind="legal_entity", name="", inn=bad_inn, kpp="77A", ogrn="123"
        )
    fields = error.value.message_dict
    assert fields["inn"] == ["Неверное контрольное число ИНН."]
    assert set(fields) == {"name", "inn", "kpp", "ogrn"}
    assert not Customer.objects.exists()


def test_registering_a_company_someone_already_registered_is_refused(customer, other_customer):
    # given a company already registered by its owner
    inn, ogrn = valid_inn10(), valid_ogrn()
    services.customer_register_type(
        actor=other_customer,
        kind="legal_entity",
        name="ООО «Ромашка»",
        inn=inn,
        kpp="770701001",
        ogrn=ogrn,
    )
    # when another person tries to register the same company
    with pytest.raises(ValidationError, match="уже зарегистрирован"):
        services.customer_register_type(
            actor=customer,
            kind="legal_entity",
            name="ООО «Ромашка»",
            inn=inn,
            kpp="770701001",
            ogrn=ogrn,
        )
    # then they did not become its owner
    assert not Membership.objects.filter(user=customer).exists()


# --- invitations and roles ------------------------------------------------------------------


def test_an_owner_invites_a_colleague_who_sets_a_password_and_joins(
    django_capture_on_commit_callbacks,
):
    company = CustomerFactory()
    owner = member(company, Role.OWNER)
    # when the owner invites a colleague
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = services.membership_invite(
            actor=owner, customer=company, email="Buh@Prokat.example", role=Role.ACCOUNTANT
        )
    # then the colleague gets a link, and only a hash of its token is stored
    assert mail.outbox[0].to == ["buh@prokat.example"]
    assert f"/invitation/{token}/" in mail.outbox[0].body
    assert token not in invitation.token_hash
    # when they accept it with a password
    user = services.invitation_accept(
        invitation=invitation, password="Bukhgalter-2026!", last_name="Соколова", first_name="Ирина"
    )
    # then they can sign in as accountant of the company, their address counts as confirmed
    assert user.check_password("Bukhgalter-2026!")
    assert Membership.objects.get(user=user, customer=company).role == Role.ACCOUNTANT
    assert EmailAddress.objects.get(user=user).verified
    assert actions()[-2:] == ["user.create", "membership.accept"]
    # and the link cannot be used twice
    with pytest.raises(Http404):
        selectors.invitation_by_token(token)


@pytest.mark.parametrize(
    ("days", "phrase"), [(7, "действует 7 дней"), (1, "действует 1 день"), (3, "действует 3 дня")]
)
@pytest.mark.parametrize(
    "template", ["customers/email/invitation.txt", "customers/email/connection_approved.txt"]
)
def test_invitation_mails_write_the_days_in_full_with_the_russian_plural(template, days, phrase):
    from django.template.loader import render_to_string
    from django.utils import translation

    # given an invitation valid for `days` days
    invitation = mock.Mock(customer=mock.Mock(), get_role_display=lambda: "бухгалтер")
    application = mock.Mock(email="olga@prokat.example")
    context = {"invitation": invitation, "inviter": "Ольга", "link": "https://x/", "days": days}
    context.update(application=application, new_user=True)
    # when the mail is written in Russian
    with translation.override("ru"):
        body = render_to_string(template, context)
    # then the days read in full, with the ending the number asks for
    assert phrase in body
    assert "дн." not in body


def test_the_invitation_mail_says_seven_days(django_capture_on_commit_callbacks):
    company = CustomerFactory()
    owner = member(company, Role.OWNER)
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_invite(
            actor=owner, customer=company, email="buh@prokat.example", role=Role.ACCOUNTANT
        )
    assert "Ссылка действует 7 дней." in mail.outbox[0].body


def test_an_invitation_expires_after_seven_days():
    company = CustomerFactory()
    owner = member(company)
    invitation, token = services.membership_invite(
        actor=owner, customer=company, email="late@example.ru", role=Role.VIEWER
    )
    later = timezone.now() + timedelta(days=7, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        with pytest.raises(Http404):
            selectors.invitation_by_token(token)
        with pytest.raises(ValidationError, match="срок его действия истёк"):
            services.invitation_accept(invitation=invitation, password="Long-Password-2026")


def test_an_existing_user_accepts_only_when_signed_in_as_the_invited_address(other_customer):
    company = CustomerFactory()
    owner = member(company)
    invitation, _ = services.membership_invite(
        actor=owner, customer=company, email=other_customer.email, role=Role.MANAGER
    )
    with pytest.raises(ValidationError, match="Войдите"):
        services.invitation_accept(invitation=invitation, password="Whatever-2026-x")
    with pytest.raises(ValidationError, match="на другой адрес"):
        services.invitation_accept(invitation=invitation, actor=owner)
    services.invitation_accept(invitation=invitation, actor=other_customer)
    assert Membership.objects.get(user=other_customer, customer=company).role == Role.MANAGER


@pytest.mark.parametrize("role", [Role.VIEWER, Role.ACCOUNTANT])
def test_a_viewer_or_accountant_cannot_invite_or_change_roles(role):
    company = CustomerFactory()
    owner = member(company, Role.OWNER)
    weak = member(company, role)
    owner_membership = Membership.objects.get(user=owner)
    with pytest.raises(PermissionDenied):
        services.membership_invite(
            actor=weak, customer=company, email="x@example.ru", role=Role.VIEWER
        )
    with pytest.raises(PermissionDenied):
        services.membership_change_role(actor=weak, membership=owner_membership, role=Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.membership_remove(actor=weak, membership=owner_membership)
    assert Membership.objects.get(user=owner).role == Role.OWNER


def test_a_manager_invites_but_cannot_make_owners_or_change_roles():
    company = CustomerFactory()
    member(company, Role.OWNER)
    manager = member(company, Role.MANAGER)
    services.membership_invite(
        actor=manager, customer=company, email="a@example.ru", role=Role.VIEWER
    )
    with pytest.raises(PermissionDenied):
        services.membership_invite(
            actor=manager, customer=company, email="b@example.ru", role=Role.OWNER
        )
    viewer = member(company, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.membership_change_role(
            actor=manager, membership=Membership.objects.get(user=viewer), role=Role.MANAGER
        )


def test_the_owner_changes_roles_but_the_last_owner_stays_owner():
    company = CustomerFactory()
    owner = member(company, Role.OWNER)
    viewer = member(company, Role.VIEWER)
    services.membership_change_role(
        actor=owner, membership=Membership.objects.get(user=viewer), role=Role.MANAGER
    )
    assert Membership.objects.get(user=viewer).role == Role.MANAGER
    assert "membership.role_change" in actions()
    with pytest.raises(ValidationError, match="хотя бы один владелец"):
        services.membership_change_role(
            actor=owner, membership=Membership.objects.get(user=owner), role=Role.VIEWER
        )
    with pytest.raises(ValidationError, match="хотя бы один владелец"):
        services.membership_remove(actor=owner, membership=Membership.objects.get(user=owner))


def test_a_user_of_several_customers_switches_and_the_choice_is_checked(rf):
    first, second, foreign = CustomerFactory(name="А"), CustomerFactory(name="Б"), CustomerFactory()
    user = member(first)
    Membership.objects.create(user=user, customer=second, role=Role.VIEWER)
    request = rf.get("/")
    request.user, request.session = user, {}
    assert selectors.customer_active_for(request) == first
    services.customer_switch(actor=user, request=request, customer=second)
    del request._kabinet_active_customer
    assert selectors.customer_active_for(request) == second
    with pytest.raises(PermissionDenied):
        services.customer_switch(actor=user, request=request, customer=foreign)


def test_selectors_answer_404_for_another_customers_objects():
    mine, theirs = CustomerFactory(), CustomerFactory()
    me = member(mine)
    stranger = member(theirs)
    their_membership = Membership.objects.get(user=stranger)
    invitation, _ = services.membership_invite(
        actor=stranger, customer=theirs, email="z@example.ru", role=Role.VIEWER
    )
    domain = EmailDomain.objects.create(customer=theirs, domain="theirs.example")
    with pytest.raises(Http404):
        selectors.customer_get_for(me, theirs.public_id)
    with pytest.raises(Http404):
        selectors.membership_get_for(me, theirs, their_membership.public_id)
    with pytest.raises(Http404):
        selectors.membership_get_for(me, mine, their_membership.public_id)
    with pytest.raises(Http404):
        selectors.invitation_get_for(me, mine, invitation.public_id)
    with pytest.raises(Http404):
        selectors.email_domain_get_for(me, theirs, domain.public_id)


# --- domains --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "domain", ["mail.ru", "yandex.ru", "gmail.com", "@Ya.Ru", "bk.ru", "proton.me", "sub.mail.ru"]
)
def test_free_mail_domains_can_never_be_claimed(domain):
    company = CustomerFactory()
    owner = member(company)
    with pytest.raises(ValidationError, match="бесплатной почты"):
        services.email_domain_claim(actor=owner, customer=company, domain=domain)
    assert not EmailDomain.objects.exists()


def test_only_the_owner_claims_and_only_staff_with_the_permission_verify(operator):
    company = CustomerFactory()
    owner = member(company)
    viewer = member(company, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.email_domain_claim(actor=viewer, customer=company, domain="prokat.example")
    claim = services.email_domain_claim(actor=owner, customer=company, domain=" @Prokat.Example ")
    assert (claim.domain, claim.status) == ("prokat.example", EmailDomain.Status.CLAIMED)
    with pytest.raises(PermissionDenied):
        services.email_domain_verify(actor=operator, domain=claim)
    supervisor = UserFactory(is_staff=True, roles=(roles.SUPERVISOR,))
    services.email_domain_verify(actor=supervisor, domain=claim)
    claim.refresh_from_db()
    assert claim.status == EmailDomain.Status.VERIFIED and claim.verified_by == supervisor
    assert "domain.verify" in actions()


def test_a_verified_domain_belongs_to_one_customer_only():
    first, second = CustomerFactory(), CustomerFactory()
    verified_domain(first, "shared.example")
    with pytest.raises(ValidationError, match="другой организацией"):
        services.email_domain_claim(actor=member(second), customer=second, domain="shared.example")


def test_existing_and_new_users_of_a_verified_domain_are_binding_candidates(operator):
    # given an existing user with a confirmed address in the company's domain, and others
    company = CustomerFactory()
    owner = member(company, email="boss@prokat.example")
    existing = UserFactory(email="old.timer@prokat.example")
    unverified = User.objects.create_user(email="new@prokat.example", password="x")
    EmailAddress.objects.create(user=unverified, email=unverified.email, verified=False)
    outsider = UserFactory(email="someone@other.example")
    assert list(selectors.binding_candidates(company)) == []
    # when staff verify the domain
    verified_domain(company, "prokat.example")
    # then the confirmed user (not the owner, not the unconfirmed, not the outsider) is offered
    assert list(selectors.binding_candidates(company)) == [existing]
    # and the owner binds them
    services.membership_bind(actor=owner, customer=company, user=existing, role=Role.VIEWER)
    assert list(selectors.binding_candidates(company)) == []
    # while binding the outsider needs staff
    with pytest.raises(PermissionDenied):
        services.membership_bind(actor=owner, customer=company, user=outsider)
    services.membership_bind(actor=operator, customer=company, user=outsider, role=Role.MANAGER)
    assert Membership.objects.get(user=outsider).role == Role.MANAGER
    assert actions().count("membership.bind") == 2


# --- connection applications -----------------------------------------------------------------


def _apply(**overrides) -> ConnectionApplication:
    data = {
        "company_name": "ООО «Прокат-Сервис»",
        "inn": valid_inn10(),
        "kpp": "7707 01 001",
        "last_name": "Кузнецова",
        "first_name": "Ольга",
        "patronymic": "Павловна",
        "phone": "+79161230000",
        "email": "olga@prokat.example",
        "contract_number": "Д-17/2026",
        "delivery": "paper",
        "power_of_attorney": SimpleUploadedFile("доверенность.pdf", b"%PDF-1.7\n..."),
    }
    data.update(overrides)
    return services.connection_application_submit(**data)


@pytest.mark.parametrize(
    ("delivery", "said", "not_said"),
    [
        ("paper", "на бумажном носителе", "придёт письмо с логином"),
        ("email", "придёт письмо с логином и ссылкой", "на бумажном носителе"),
    ],
)
def test_the_receipt_mail_says_how_the_login_will_come(
    delivery, said, not_said, django_capture_on_commit_callbacks
):
    # when an application is sent with either delivery of the login
    with django_capture_on_commit_callbacks(execute=True):
        application = _apply(delivery=delivery)
    # then its receipt mail tells the applicant how the login will come, and gives the number
    body = mail.outbox[-1].body
    assert said in body and not_said not in body
    assert f"Номер заявки: {application.number}." in body


def test_a_power_of_attorney_is_accepted_by_content_and_stored_privately():
    application = _apply(
        power_of_attorney=SimpleUploadedFile("../../scan.exe", b"\x89PNG\r\n\x1a\n....")
    )
    assert application.power_of_attorney.name.startswith("private/connection/")
    assert application.power_of_attorney.name.endswith("/scan.png")
    assert application.power_of_attorney_type == "image/png"
    assert application.kpp == "770701001"


def test_a_script_named_pdf_is_refused():
    with pytest.raises(ValidationError) as error:
        _apply(power_of_attorney=SimpleUploadedFile("dov.pdf", b"<html><script>"))
    assert "PDF, JPEG или PNG" in error.value.message_dict["power_of_attorney"][0]
    assert not ConnectionApplication.objects.exists()


def test_approval_on_paper_creates_customer_owner_and_a_one_time_password(operator):
    application = _apply(delivery="paper")
    approval = services.connection_application_approve(actor=operator, application=application)
    user = approval.user
    assert approval.initial_password and user.check_password(approval.initial_password)
    assert user.must_change_password
    assert approval.customer.kind == Customer.Kind.LEGAL_ENTITY
    assert Membership.objects.get(user=user).role == Role.OWNER
    application.refresh_from_db()
    assert application.status == "approved" and application.reviewer == operator
    assert "connection.approve" in actions()
    with pytest.raises(ValidationError, match="уже рассмотрена"):
        services.connection_application_approve(actor=operator, application=application)


def test_approval_by_email_sends_a_link_to_set_the_password(
    operator, django_capture_on_commit_callbacks
):
    application = _apply(delivery="email")
    with django_capture_on_commit_callbacks(execute=True):
        approval = services.connection_application_approve(actor=operator, application=application)
    assert approval.initial_password is None
    assert not approval.user.has_usable_password()
    message = mail.outbox[-1]
    assert message.to == ["olga@prokat.example"] and "/invitation/" in message.body
    # the company's own quotes nest as „лапки“ inside the letter's «ёлочки»
    assert "организации «ООО „Прокат-Сервис“» к личному кабинету одобрена" in message.body
    token = message.body.split("/invitation/")[1].split("/")[0]
    invitation = selectors.invitation_by_token(token)
    user = services.invitation_accept(invitation=invitation, password="Prokat-Servis-2026")
    user.refresh_from_db()
    assert user.check_password("Prokat-Servis-2026") and not user.must_change_password


def test_rejection_needs_a_reason_which_the_applicant_receives(
    operator, django_capture_on_commit_callbacks
):
    application = _apply()
    with pytest.raises(ValidationError):
        services.connection_application_reject(actor=operator, application=application, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.connection_application_reject(
            actor=operator, application=application, reason="Не приложена доверенность."
        )
    assert "Не приложена доверенность." in mail.outbox[-1].body
    assert (
        not Customer.objects.exists()
        and not User.objects.filter(email="olga@prokat.example").exists()
    )


@pytest.fixture
def pd_consent_text(db):
    from kabinet.core.services import legal_document_publish

    return legal_document_publish(
        actor=None,
        kind="pd_consent",
        title="Согласие на обработку персональных данных",
        body="…",
        effective_from=timezone.localdate(),
    )


def test_an_application_needs_the_published_personal_data_consent(pd_consent_text, rf):
    # given a published consent text, when the application comes without it, it is refused
    with pytest.raises(ValidationError) as error:
        _apply()
    assert "согласия на обработку персональных данных" in error.value.message_dict["consent_pd"][0]
    assert not ConnectionApplication.objects.exists()
    # when it comes with the current version, the time, IP and browser are kept with it
    request = rf.post("/connect/", HTTP_USER_AGENT="Firefox/140", REMOTE_ADDR="10.9.8.7")
    application = _apply(consent_document=pd_consent_text, request=request)
    assert application.consent_document == pd_consent_text
    assert application.consent_ip == "10.9.8.7" and application.consent_user_agent == "Firefox/140"
    assert application.consent_given_at is not None


@pytest.mark.parametrize("delivery", ["paper", "email"])
def test_approval_carries_the_applications_consent_over_to_the_login(
    pd_consent_text, rf, operator, delivery
):
    # given an application with the representative's consent, ticked a while ago
    request = rf.post("/connect/", HTTP_USER_AGENT="Firefox/140", REMOTE_ADDR="10.9.8.7")
    application = _apply(consent_document=pd_consent_text, request=request, delivery=delivery)
    ticked = timezone.now() - timedelta(days=2)
    ConnectionApplication.objects.filter(pk=application.pk).update(consent_given_at=ticked)
    application.refresh_from_db()
    # when staff approve it
    approval = services.connection_application_approve(actor=operator, application=application)
    # then the new login has that consent as its own record: same text, time, IP and browser
    from kabinet.identity.selectors import consents_for

    (consent,) = consents_for(approval.user)
    assert consent.document == pd_consent_text and consent.given_at == ticked
    assert consent.ip == "10.9.8.7" and consent.user_agent == "Firefox/140"
    event = AuditEvent.objects.get(action="consent.give")
    assert event.data["source"] == "connection_application"


def test_an_organisation_already_a_customer_is_not_created_twice(
    operator, django_capture_on_commit_callbacks
):
    # given a customer with the application's ИНН and КПП
    application = _apply(delivery="email")
    existing = CustomerFactory(inn=application.inn, kpp=application.kpp, name="ООО «Прокат»")
    owner = member(existing, Role.OWNER)
    # when staff approve it as a new customer, it is refused naming the existing one
    with pytest.raises(ValidationError, match="ООО «Прокат»") as error:
        services.connection_application_approve(actor=operator, application=application)
    assert error.value.code == "duplicate"
    assert Customer.objects.count() == 1
    assert not User.objects.filter(email="olga@prokat.example").exists()
    # when they attach the representative to the existing customer instead
    with django_capture_on_commit_callbacks(execute=True):
        approval = services.connection_application_attach(actor=operator, application=application)
    # then the login is a manager of that customer, no second customer, and it is audited
    assert approval.customer == existing and Customer.objects.count() == 1
    assert Membership.objects.get(user=approval.user).role == Role.MANAGER
    assert Membership.objects.get(user=owner).role == Role.OWNER
    application.refresh_from_db()
    assert application.status == "approved" and application.customer == existing
    event = AuditEvent.objects.get(action="connection.attach")
    assert event.data["role"] == Role.MANAGER and event.data["customer"] == str(existing.public_id)
    # the representative gets the link to set a password, into that customer
    token = mail.outbox[-1].body.split("/invitation/")[1].split("/")[0]
    assert selectors.invitation_by_token(token).customer == existing
    # and the application cannot be reviewed twice
    with pytest.raises(ValidationError, match="уже рассмотрена"):
        services.connection_application_attach(actor=operator, application=application)


def test_a_branch_with_another_kpp_is_a_new_customer_and_attach_needs_a_match(operator):
    application = _apply()
    CustomerFactory(inn=application.inn, kpp="770801001")
    with pytest.raises(ValidationError):
        services.connection_application_attach(actor=operator, application=application)
    approval = services.connection_application_approve(actor=operator, application=application)
    assert approval.customer.kpp == "770701001" and Customer.objects.count() == 2


def test_a_customer_user_cannot_attach_applications(customer):
    application = _apply()
    CustomerFactory(inn=application.inn, kpp=application.kpp)
    with pytest.raises(PermissionDenied):
        services.connection_application_attach(actor=customer, application=application)


def test_a_customer_user_cannot_review_applications(customer):
    with pytest.raises(PermissionDenied):
        services.connection_application_approve(actor=customer, application=_apply())


def test_invitations_store_only_a_hash():
    company = CustomerFactory()
    _, token = services.membership_invite(
        actor=member(company), customer=company, email="h@example.ru", role=Role.VIEWER
    )
    assert not Invitation.objects.filter(token_hash=token).exists()


# --- company squatting: confirmation and ownership transfer -------------------


def _register_company(actor, inn: str | None = None) -> Customer:
    return services.customer_register_type(
        actor=actor,
        kind="legal_entity",
        name="ООО «Ромашка»",
        inn=inn or valid_inn10(),
        kpp="770701001",
        ogrn=valid_ogrn(),
    )


def test_a_self_registered_legal_entity_invites_and_links_nothing_until_staff_confirm(
    customer, operator
):
    from kabinet.customers.account_services import account_link_request_submit

    # given somebody registered a company by its (public) ИНН
    company = _register_company(customer)
    # then it is unconfirmed: no invitations, no domain binding, no account link requests
    assert not company.confirmed
    with pytest.raises(ValidationError, match="ещё не подтверждена") as error:
        services.membership_invite(
            actor=customer, customer=company, email="friend@example.ru", role=Role.MANAGER
        )
    assert error.value.code == "unconfirmed"
    with pytest.raises(ValidationError, match="ещё не подтверждена"):
        account_link_request_submit(
            actor=customer, customer=company, number="123456", last_name="Иванова"
        )
    assert not Invitation.objects.exists()
    # when an operator confirms it (a customer cannot)
    with pytest.raises(PermissionDenied):
        services.customer_confirm(actor=customer, customer=company)
    services.customer_confirm(actor=operator, customer=company)
    # then the owner may invite, and the confirmation is in the audit log
    company.refresh_from_db()
    assert company.confirmed
    services.membership_invite(
        actor=customer, customer=company, email="friend@example.ru", role=Role.MANAGER
    )
    assert AuditEvent.objects.get(action="customer.confirm").actor == operator


def test_individuals_sole_proprietors_and_approved_companies_need_no_confirmation(
    customer, other_customer, operator
):
    from kabinet.customers.tests.factories import valid_snils

    person = services.customer_register_type(actor=customer, kind="individual", snils=valid_snils())
    sole = services.customer_register_type(
        actor=other_customer, kind="sole_proprietor", inn=valid_inn12(), ogrn=valid_ogrnip()
    )
    approved = services.connection_application_approve(actor=operator, application=_apply())
    assert person.confirmed and sole.confirmed and approved.customer.confirmed


def test_staff_transfer_ownership_of_a_squatted_company_to_the_applicant(
    customer, operator, django_capture_on_commit_callbacks
):
    # given somebody registered the company first and invited a helper
    application = _apply(delivery="email")
    company = _register_company(customer, inn=application.inn)
    company.confirmed = True  # (an older registration, confirmed before the rule)
    company.save()
    stale, _token = services.membership_invite(
        actor=customer, customer=company, email="helper@example.ru", role=Role.VIEWER
    )
    # when staff, seeing the current owner, attach the real representative as the owner
    assert [m.user for m in selectors.customer_owners_for_staff(operator, company)] == [customer]
    with django_capture_on_commit_callbacks(execute=True):
        approval = services.connection_application_attach(
            actor=operator, application=application, transfer_ownership=True
        )
    # then the representative owns it, the previous owner lost access, invitations are void
    assert Membership.objects.get(user=approval.user, customer=company).role == Role.OWNER
    assert not Membership.objects.filter(user=customer, customer=company).exists()
    stale.refresh_from_db()
    assert stale.revoked_at is not None
    company.refresh_from_db()
    assert company.confirmed
    event = AuditEvent.objects.get(action="customer.ownership_transfer")
    assert event.data["previous_owners"] == [str(customer.public_id)]


def test_the_data_migration_confirms_what_staff_approved_only(customer, operator):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "kabinet.customers.migrations.0006_confirm_staff_approved_customers"
    )
    # given customers as they were before the confirmation existed (all unconfirmed after 0005)
    approved = services.connection_application_approve(actor=operator, application=_apply())
    registered = _register_company(customer)
    person, _owner = household()
    Customer.objects.update(confirmed=False)
    # when the data migration runs
    migration.confirm_staff_approved(apps, None)
    # then the approved company and the individual are confirmed, the self-registered one is not
    confirmed = dict(Customer.objects.values_list("pk", "confirmed"))
    assert confirmed[approved.customer.pk] and confirmed[person.pk]
    assert not confirmed[registered.pk]
