"""Writes about customers and who acts for them.

Rules enforced here (the faces only parse and render):
- a customer is created by its first user choosing a type or by staff approving a legal
  entity's connection application; either way that user becomes the owner;
- a legal entity registered by its first user is «не подтверждена» until staff confirm it: no
  invitations and no account links before, so nobody squats a company by its public ИНН; staff
  attaching an application to an existing customer see its owners and may transfer ownership;
- owners and managers invite colleagues; only owners change roles and remove members, and a
  customer always keeps at least one owner;
- free-mail domains can never be claimed; staff verify claims, and a verified domain belongs to one
  customer only; users with a verified address there may then be bound to the customer;
- every write is audited; mail goes out after the commit through the notifications outbox.

Errors: `ValidationError` for bad input (with a Russian message the form shows), `PermissionDenied`
for a member whose role does not allow the action. Objects of a customer the actor does not belong
to are never reached here: the selectors answer 404 first.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kabinet.core.audit import audit_context_current
from kabinet.core.links import absolute_url, url_for
from kabinet.core.models import LegalDocument
from kabinet.core.pagecache import bump
from kabinet.core.redaction import secrets_in
from kabinet.core.selectors import legal_document_current
from kabinet.core.services import audit_record
from kabinet.core.shell import shell_version_bump
from kabinet.core.validators import (
    normalize_digits,
    normalize_kpp,
    validate_inn_legal,
    validate_inn_person,
    validate_kpp,
    validate_ogrn,
    validate_ogrnip,
    validate_snils,
)
from kabinet.customers.models import (
    ACTIVE_CUSTOMER_SESSION_KEY,
    FREE_MAIL_DOMAINS,
    INVITER_ROLES,
    ROLE_MANAGER_ROLES,
    ConnectionApplication,
    Customer,
    EmailDomain,
    Invitation,
    Membership,
    hash_token,
)
from kabinet.customers.selectors import binding_candidates, connection_application_same_customer
from kabinet.customers.uploads import validate_document_upload
from kabinet.identity.models import User
from kabinet.identity.services import consent_give, user_create
from kabinet.notifications.services import outbox_email_write

INVITATION_DAYS = 7

Role = Membership.Role
CONNECTION_CONSENT_REQUIRED = _lazy(
    "Без согласия на обработку персональных данных заявку отправить нельзя: отметьте его."
)
DOMAIN_PATTERN = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


# --- helpers ----------------------------------------------------------------------------------------


def _role_of(user: User, customer: Customer) -> str | None:
    membership = Membership.objects.filter(user=user, customer=customer).only("role").first()
    return membership.role if membership else None


def _require_role(user: User, customer: Customer, roles: set[str] | set[Role]) -> str:
    role = _role_of(user, customer)
    if role is None or role not in roles:
        raise PermissionDenied(_("Ваша роль не позволяет это действие."))
    return role


def _require_staff_perm(actor: User, perm: str) -> None:
    if not (actor.is_active and actor.is_staff and actor.has_perm(perm)):
        raise PermissionDenied(_("Недостаточно прав сотрудника."))


def _send_mail(*, to: str, subject: str, template: str, context: dict) -> None:
    """Render the message now, send it from the worker after the commit."""
    body = render_to_string(template, {**context, "site_url": settings.SITE_URL})
    # invitation and set-password links are not kept in the outbox once sent
    outbox_email_write(subject=subject, body=body, to=[to], redact=secrets_in(context))


# --- customers: continued registration ---------------------------------------------------------------


@transaction.atomic
def customer_register_type(
    *,
    actor: User,
    kind: str,
    name: str = "",
    inn: str = "",
    kpp: str = "",
    ogrn: str = "",
    snils: str = "",
    phone: str = "",
    email: str = "",
    session: SessionBase | None = None,
) -> Customer:
    """Create the customer a user acts for, after their first login, with them as owner.

    Individual: СНИЛС (required), phone, email. Sole proprietor: 12-digit ИНН and ОГРНИП. Legal
    entity: name, 10-digit ИНН, КПП, ОГРН. Every number is checked by its check digits. A number
    already registered is refused: the existing customer's owner must invite this user instead,
    otherwise anyone could make themselves the owner of someone else's company. A legal entity is
    created unconfirmed (`customer_confirm` by staff): its ИНН is public.
    """
    errors: dict[str, list[ValidationError]] = {}

    def check(field: str, value: str, validator) -> str:
        try:
            validator(value)
        except ValidationError as error:
            errors.setdefault(field, []).append(error)
        return value

    if kind not in Customer.Kind.values:
        raise ValidationError({"kind": _("Выберите тип клиента.")})
    inn, ogrn, snils, kpp = (
        normalize_digits(inn),
        normalize_digits(ogrn),
        normalize_digits(snils),
        normalize_kpp(kpp),
    )
    customer = Customer(kind=kind, phone=phone, email=email or (actor.email or ""))
    if kind == Customer.Kind.INDIVIDUAL:
        customer.snils = check("snils", snils, validate_snils)
        customer.name = name or actor.get_full_name() or actor.login_display
        duplicate = Customer.objects.filter(kind=kind, snils=snils).exists()
    elif kind == Customer.Kind.SOLE_PROPRIETOR:
        customer.inn = check("inn", inn, validate_inn_person)
        customer.ogrn = check("ogrn", ogrn, validate_ogrnip)
        customer.name = name or _("ИП %(name)s") % {
            "name": actor.get_full_name() or actor.login_display
        }
        duplicate = Customer.objects.filter(kind=kind, inn=inn).exists()
    else:
        if not name.strip():
            errors["name"] = [ValidationError(_("Укажите наименование организации."))]
        customer.name = name.strip()
        customer.inn = check("inn", inn, validate_inn_legal)
        customer.kpp = check("kpp", kpp, validate_kpp)
        customer.ogrn = check("ogrn", ogrn, validate_ogrn)
        customer.confirmed = False  # staff check it before it may invite or link accounts
        duplicate = Customer.objects.filter(kind=kind, inn=inn, kpp=kpp).exists()
    if errors:
        raise ValidationError(errors)
    if duplicate:
        raise ValidationError(
            _(
                "Клиент с такими реквизитами уже зарегистрирован. Попросите владельца его кабинета "
                "пригласить вас или обратитесь в службу поддержки."
            ),
            code="duplicate",
        )
    customer.save()
    Membership.objects.create(user=actor, customer=customer, role=Role.OWNER)
    shell_version_bump([actor.pk])
    audit_record(
        action="customer.register",
        actor=actor,
        target=customer,
        data={"kind": kind},
    )
    if session is not None:
        session[ACTIVE_CUSTOMER_SESSION_KEY] = str(customer.public_id)
    return customer


@transaction.atomic
def customer_confirm(*, actor: User, customer: Customer) -> Customer:
    """Staff confirm a self-registered organisation (checked against the registry, the contract or a
    power of attorney): from now on its owners invite colleagues and link accounts. Needs
    `customers.review_connectionapplication`; audited `customer.confirm`."""
    _require_staff_perm(actor, "customers.review_connectionapplication")
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if customer.confirmed:
        return customer
    customer.confirmed = True
    customer.save(update_fields=["confirmed"])
    audit_record(action="customer.confirm", actor=actor, target=customer)
    return customer


def customer_switch(*, actor: User, session: SessionBase, customer: Customer) -> None:
    """Make `customer` the one the portal shows; the actor must be its member (selectors check)."""
    if not Membership.objects.filter(user=actor, customer=customer).exists():
        raise PermissionDenied
    session[ACTIVE_CUSTOMER_SESSION_KEY] = str(customer.public_id)
    audit_record(action="customer.switch", actor=actor, target=customer)


# --- memberships and invitations ---------------------------------------------------------------------


@transaction.atomic
def membership_invite(
    *,
    actor: User,
    customer: Customer,
    email: str,
    role: str,
) -> tuple[Invitation, str]:
    """Invite a colleague by email; return the invitation and the token of its link.

    Owners invite with any role; managers with any role but owner. A newer invitation to the same
    address replaces an open one. The link is mailed; only its hash is stored.
    """
    actor_role = _require_role(actor, customer, INVITER_ROLES)
    customer.require_confirmed()
    if role not in Role.values:
        raise ValidationError({"role": _("Выберите роль.")})
    if role == Role.OWNER and actor_role != Role.OWNER:
        raise PermissionDenied(_("Назначить владельца может только владелец."))
    email = email.strip().lower()
    if Membership.objects.filter(customer=customer, user__email__iexact=email).exists():
        raise ValidationError(
            {"email": _("Пользователь с этим адресом уже работает с этой организацией.")}
        )
    now = timezone.now()
    Invitation.objects.filter(
        customer=customer, email__iexact=email, accepted_at=None, revoked_at=None
    ).update(revoked_at=now)
    bump([f"c{customer.pk}"])
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        customer=customer,
        email=email,
        role=role,
        token_hash=hash_token(token),
        invited_by=actor,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    audit_record(
        action="membership.invite",
        actor=actor,
        target=invitation,
        data={"customer": str(customer.public_id), "email": email, "role": role},
    )
    _send_mail(
        to=email,
        subject=_("Приглашение в личный кабинет: %(name)s") % {"name": customer.name},
        template="customers/email/invitation.txt",
        context={
            "invitation": invitation,
            "inviter": actor,
            "link": url_for("invitation_accept", token, absolute=True),
            "days": INVITATION_DAYS,
        },
    )
    return invitation, token


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    """Withdraw an invitation that was not accepted yet (owners and managers)."""
    _require_role(actor, invitation.customer, INVITER_ROLES)
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(action="membership.invite_revoke", actor=actor, target=invitation)


def invitation_needs_login(invitation: Invitation) -> bool:
    """An address that already has a login with a password accepts after signing in."""
    user = User.objects.filter(email__iexact=invitation.email).first()
    return bool(user and user.has_usable_password())


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    actor: User | None = None,
    password: str = "",
    last_name: str = "",
    first_name: str = "",
    patronymic: str = "",
    session: SessionBase | None = None,
) -> User:
    """Accept an invitation: the person becomes a member with the invited role.

    - signed in (`actor`): the invitation must be addressed to the actor's email;
    - no login with this address yet: a user is created with `password` (the address is verified:
      the person opened the link sent to it);
    - a login created by staff without a password (connection approved, delivery by email): the
      person sets the password here.
    With the person's `session`, the invitation's customer becomes the one the portal shows (signing a new
    user in stays with the face). Raises ValidationError for an expired or used invitation or a weak password.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(_("Приглашение уже использовано или срок его действия истёк."))
    user = User.objects.filter(email__iexact=invitation.email).first()
    if actor is not None and actor.is_authenticated:
        if user is None or user.pk != actor.pk:
            raise ValidationError(
                _(
                    "Это приглашение отправлено на другой адрес. Войдите под учётной записью %(email)s."
                )
                % {"email": invitation.email}
            )
    elif user is not None and user.has_usable_password():
        raise ValidationError(_("Войдите, чтобы принять приглашение."), code="login_required")
    else:
        probe = user or User(email=invitation.email, last_name=last_name, first_name=first_name)
        try:
            validate_password(password, probe)
        except ValidationError as error:
            raise ValidationError({"password1": error.messages}) from None
        if user is None:
            user = user_create(
                email=invitation.email,
                password=password,
                last_name=last_name,
                first_name=first_name,
                patronymic=patronymic,
                email_verified=True,
            )
        else:
            user.set_password(password)
            user.must_change_password = False  # they just chose it themselves
            user.save(update_fields=["password", "must_change_password"])
            _verify_email(user)
    membership, _created = Membership.objects.get_or_create(
        user=user, customer=invitation.customer, defaults={"role": invitation.role}
    )
    shell_version_bump([user.pk])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_record(
        action="membership.accept",
        actor=user,
        subject_user=user,
        target=membership,
        data={"invitation": str(invitation.public_id), "role": membership.role},
    )
    if session is not None:
        session[ACTIVE_CUSTOMER_SESSION_KEY] = str(invitation.customer.public_id)
    return user


def _verify_email(user: User) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)


def _owners_left(customer: Customer, *, without: Membership) -> int:
    return (
        Membership.objects.filter(customer=customer, role=Role.OWNER).exclude(pk=without.pk).count()
    )


@transaction.atomic
def membership_change_role(*, actor: User, membership: Membership, role: str) -> Membership:
    """Give a member another role (owners only); the last owner cannot be demoted."""
    _require_role(actor, membership.customer, ROLE_MANAGER_ROLES)
    if role not in Role.values:
        raise ValidationError({"role": _("Выберите роль.")})
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == role:
        return membership
    if membership.role == Role.OWNER and not _owners_left(membership.customer, without=membership):
        raise ValidationError(
            _("У организации должен остаться хотя бы один владелец."), code="last_owner"
        )
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    shell_version_bump([membership.user_id])
    audit_record(
        action="membership.role_change",
        actor=actor,
        subject_user=membership.user,
        target=membership,
        data={"from": before, "to": role},
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    """Remove a member (owners only); the last owner cannot be removed."""
    _require_role(actor, membership.customer, {Role.OWNER})
    if membership.role == Role.OWNER and not _owners_left(membership.customer, without=membership):
        raise ValidationError(
            _("У организации должен остаться хотя бы один владелец."), code="last_owner"
        )
    audit_record(
        action="membership.remove",
        actor=actor,
        subject_user=membership.user,
        target=membership.customer,
        data={"role": membership.role},
    )
    membership.delete()
    shell_version_bump([membership.user_id])


@transaction.atomic
def membership_bind(
    *,
    actor: User,
    customer: Customer,
    user: User,
    role: str = Role.VIEWER,
) -> Membership:
    """Bind a contact to a customer.

    Staff holding `customers.bind_contact` may bind anyone (docs/domain.md: «привязка контактных лиц
    производится администратором»). The customer's owner may bind only the domain candidates: users
    with a verified address in one of the customer's verified domains.
    """
    if actor.is_staff and actor.has_perm("customers.bind_contact"):
        by_staff = True
    else:
        _require_role(actor, customer, {Role.OWNER})
        customer.require_confirmed()
        by_staff = False
        if not binding_candidates(customer).filter(pk=user.pk).exists():
            raise PermissionDenied(_("Этого пользователя нельзя привязать по домену."))
    if role not in Role.values:
        raise ValidationError({"role": _("Выберите роль.")})
    if user.is_staff:
        raise ValidationError(_("Сотрудника нельзя привязать к клиенту."))
    if Membership.objects.filter(user=user, customer=customer).exists():
        raise ValidationError(_("Этот пользователь уже работает с этой организацией."))
    membership = Membership.objects.create(user=user, customer=customer, role=role)
    shell_version_bump([user.pk])
    audit_record(
        action="membership.bind",
        actor=actor,
        subject_user=user,
        target=membership,
        data={"customer": str(customer.public_id), "role": role, "by_staff": by_staff},
    )
    if user.email:
        _send_mail(
            to=user.email,
            subject=_("Вы привязаны к организации %(name)s") % {"name": customer.name},
            template="customers/email/bound.txt",
            context={"customer": customer, "membership": membership},
        )
    return membership


# --- email domains ----------------------------------------------------------------------------------


def normalize_domain(raw: str) -> str:
    """`@Prokat-Service.RU ` → `prokat-service.ru` (people paste addresses or the domain)."""
    value = raw.strip().lower().rstrip(".")
    if "@" in value:
        value = value.rsplit("@", 1)[1]
    return value


def is_free_mail(domain: str) -> bool:
    domain = normalize_domain(domain)
    return any(domain == free or domain.endswith("." + free) for free in FREE_MAIL_DOMAINS)


@transaction.atomic
def email_domain_claim(*, actor: User, customer: Customer, domain: str) -> EmailDomain:
    """The owner claims a mail domain for the company; staff verify it before it binds anyone."""
    _require_role(actor, customer, {Role.OWNER})
    domain = normalize_domain(domain)
    if not DOMAIN_PATTERN.match(domain):
        raise ValidationError({"domain": _("Укажите домен, например prokat-service.ru.")})
    if is_free_mail(domain):
        raise ValidationError(
            {
                "domain": _(
                    "Домен бесплатной почты (%(domain)s) нельзя закрепить за организацией: "
                    "адрес на нём может получить любой человек."
                )
                % {"domain": domain}
            },
            code="free_mail",
        )
    if EmailDomain.objects.filter(
        domain__iexact=domain, status=EmailDomain.Status.VERIFIED
    ).exists():
        raise ValidationError({"domain": _("Этот домен уже закреплён за другой организацией.")})
    if EmailDomain.objects.filter(customer=customer, domain=domain).exists():
        raise ValidationError({"domain": _("Этот домен уже заявлен.")})
    claim = EmailDomain.objects.create(customer=customer, domain=domain, claimed_by=actor)
    audit_record(
        action="domain.claim",
        actor=actor,
        target=claim,
        data={"domain": domain, "customer": str(customer.public_id)},
    )
    return claim


@transaction.atomic
def email_domain_verify(*, actor: User, domain: EmailDomain) -> EmailDomain:
    """Staff confirm the company owns the domain (supervisors; `customers.verify_emaildomain`)."""
    _require_staff_perm(actor, "customers.verify_emaildomain")
    domain = EmailDomain.objects.select_for_update().get(pk=domain.pk)
    if is_free_mail(domain.domain):
        raise ValidationError(_("Домен бесплатной почты нельзя подтвердить."), code="free_mail")
    domain.status = EmailDomain.Status.VERIFIED
    domain.verified_by, domain.verified_at, domain.reason = actor, timezone.now(), ""
    try:
        with transaction.atomic():
            domain.save(update_fields=["status", "verified_by", "verified_at", "reason"])
    except IntegrityError:
        raise ValidationError(
            _("Этот домен уже подтверждён за другой организацией."), code="taken"
        ) from None
    audit_record(
        action="domain.verify",
        actor=actor,
        target=domain,
        data={"domain": domain.domain, "customer": str(domain.customer.public_id)},
    )
    return domain


@transaction.atomic
def email_domain_reject(*, actor: User, domain: EmailDomain, reason: str) -> EmailDomain:
    """Staff refuse a claim, saying why (shown to the customer's owner)."""
    _require_staff_perm(actor, "customers.verify_emaildomain")
    if not reason.strip():
        raise ValidationError({"reason": _("Укажите причину отказа.")})
    domain.status = EmailDomain.Status.REJECTED
    domain.verified_by, domain.verified_at, domain.reason = actor, timezone.now(), reason.strip()
    domain.save(update_fields=["status", "verified_by", "verified_at", "reason"])
    audit_record(
        action="domain.reject",
        actor=actor,
        target=domain,
        data={"domain": domain.domain, "reason": domain.reason},
    )
    return domain


# --- connection applications -------------------------------------------------------------------------


@transaction.atomic
def connection_application_submit(
    *,
    company_name: str,
    inn: str,
    kpp: str,
    last_name: str,
    first_name: str,
    patronymic: str,
    phone: str,
    email: str,
    contract_number: str,
    delivery: str,
    power_of_attorney: UploadedFile | None = None,
    consent_document: LegalDocument | None = None,
) -> ConnectionApplication:
    """A legal entity applies to be connected (a public form: no actor). The phone must already be
    normalised to E.164 by the form; ИНН (10 digits) and КПП are checked here; the power of
    attorney is checked by content (PDF, JPEG, PNG) and stored outside any public URL.

    While a personal-data consent text is published, the representative must accept its current
    version (`consent_document`, 152-ФЗ art. 9); the time, IP and browser are kept with the
    application and carried over to the login on approval."""
    errors: dict[str, list[ValidationError]] = {}
    current_consent = legal_document_current(LegalDocument.Kind.PD_CONSENT)
    if current_consent is not None and (
        consent_document is None or consent_document.pk != current_consent.pk
    ):
        errors["consent_pd"] = [ValidationError(CONNECTION_CONSENT_REQUIRED, code="consent")]
    inn, kpp = normalize_digits(inn), normalize_kpp(kpp)
    for field, value, validator in (("inn", inn, validate_inn_legal), ("kpp", kpp, validate_kpp)):
        try:
            validator(value)
        except ValidationError as error:
            errors[field] = [error]
    if delivery not in ConnectionApplication.Delivery.values:
        errors["delivery"] = [ValidationError(_("Выберите способ получения логина и пароля."))]
    content_type = ""
    if power_of_attorney is not None:
        try:
            content_type = validate_document_upload(power_of_attorney)
        except ValidationError as error:
            errors["power_of_attorney"] = [error]
    if errors:
        raise ValidationError(errors)
    application = ConnectionApplication(
        company_name=company_name.strip(),
        inn=inn,
        kpp=kpp,
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        patronymic=patronymic.strip(),
        phone=phone,
        email=email.strip().lower(),
        contract_number=contract_number.strip(),
        delivery=delivery,
    )
    if current_consent is not None:
        application.consent_document = current_consent
        application.consent_given_at = timezone.now()
        context = audit_context_current()
        application.consent_ip = context.ip
        application.consent_user_agent = context.user_agent
    if power_of_attorney is not None:
        application.power_of_attorney_name = power_of_attorney.name or ""
        application.power_of_attorney_type = content_type
        application.power_of_attorney.save(
            power_of_attorney.name or "doc", power_of_attorney, save=False
        )
    application.save()
    audit_record(
        action="connection.submit",
        target=application,
        data={
            "inn": inn,
            "email": application.email,
            "consent_version": current_consent.version if current_consent else None,
        },
    )
    _send_mail(
        to=application.email,
        subject=_("Заявка на подключение к личному кабинету принята"),
        template="customers/email/connection_received.txt",
        context={"application": application},
    )
    return application


@dataclass(frozen=True)
class Approval:
    """What staff need after approving: the new customer and login, and for paper delivery the
    one-time initial password to print (it is not stored anywhere in clear)."""

    customer: Customer
    user: User
    initial_password: str | None


def _initial_password() -> str:
    # unambiguous characters: the password is typed from paper
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "-".join(get_random_string(4, alphabet) for _ in range(3))


def _carry_over_consent(application: ConnectionApplication, user: User) -> None:
    """The consent ticked on the application becomes the login's own consent record."""
    if application.consent_document is None or application.consent_given_at is None:
        return
    consent_give(
        user=user,
        document=application.consent_document,
        given=(
            application.consent_given_at,
            application.consent_ip,
            application.consent_user_agent,
        ),
        source="connection_application",
    )


@transaction.atomic
def connection_application_approve(*, actor: User, application: ConnectionApplication) -> Approval:
    """Approve: create the legal-entity customer and its owner's login.

    Delivery by email: the login has no password yet; an invitation link lets the representative
    set one. Delivery on paper: a one-time initial password is returned for the printed letter and
    the first login asks to change it. An address that already has a login is simply made owner.
    Refused when a customer with the same ИНН and КПП exists: staff attach the representative to
    it instead (`connection_application_attach`), never a second copy of the organisation.
    """
    _require_staff_perm(actor, "customers.review_connectionapplication")
    application = _lock_submitted(application)
    existing = connection_application_same_customer(application)
    if existing is not None:
        raise ValidationError(
            _(
                "Клиент с ИНН %(inn)s и КПП %(kpp)s уже есть: «%(name)s». Второго такого клиента "
                "создать нельзя — привяжите представителя к существующему клиенту."
            )
            % {"inn": application.inn, "kpp": application.kpp, "name": existing.name},
            code="duplicate",
        )
    customer = Customer.objects.create(
        kind=Customer.Kind.LEGAL_ENTITY,
        name=application.company_name,
        inn=application.inn,
        kpp=application.kpp,
        phone=application.phone,
        email=application.email,
    )
    return _connect(
        actor=actor,
        application=application,
        customer=customer,
        role=Role.OWNER,
        attached=False,
    )


@transaction.atomic
def connection_application_attach(
    *,
    actor: User,
    application: ConnectionApplication,
    transfer_ownership: bool = False,
) -> Approval:
    """Approve an application from an organisation that is already a customer (same ИНН and
    КПП): the representative's login (made as on approval) becomes a manager of that customer;
    its owners decide on more rights. Nothing new is created for the organisation itself.

    `transfer_ownership` (staff saw the current owners and the representative's power of
    attorney): the representative becomes the owner instead, the previous owners lose access,
    open invitations are revoked and the organisation counts as confirmed — the remedy when
    somebody registered the company by its public ИНН. Audited `customer.ownership_transfer`."""
    _require_staff_perm(actor, "customers.review_connectionapplication")
    application = _lock_submitted(application)
    customer = connection_application_same_customer(application)
    if customer is None:
        raise ValidationError(
            _("Клиента с ИНН %(inn)s и КПП %(kpp)s нет: одобрите заявку как обычно.")
            % {"inn": application.inn, "kpp": application.kpp},
            code="no_customer",
        )
    if Membership.objects.filter(customer=customer, user__email__iexact=application.email).exists():
        raise ValidationError(
            _("Пользователь %(email)s уже работает с клиентом «%(name)s».")
            % {"email": application.email, "name": customer.name},
            code="member",
        )
    if transfer_ownership:
        _ownership_take_away(actor=actor, customer=customer)
    return _connect(
        actor=actor,
        application=application,
        customer=customer,
        role=Role.OWNER if transfer_ownership else Role.MANAGER,
        attached=True,
    )


def _ownership_take_away(*, actor: User, customer: Customer) -> None:
    """Before an ownership transfer: the owners' memberships go, open invitations are revoked
    (whoever sent them), the organisation is confirmed; one audit event names who lost access."""
    customer = Customer.objects.select_for_update(of=("self",)).get(pk=customer.pk)
    owners = list(
        Membership.objects.select_related("user").filter(customer=customer, role=Role.OWNER)
    )
    revoked = Invitation.objects.filter(
        customer=customer, accepted_at=None, revoked_at=None
    ).update(revoked_at=timezone.now())
    bump([f"c{customer.pk}"])
    Membership.objects.filter(pk__in=[m.pk for m in owners]).delete()
    shell_version_bump(m.user_id for m in owners)
    customer.confirmed = True
    customer.save(update_fields=["confirmed"])
    audit_record(
        action="customer.ownership_transfer",
        actor=actor,
        target=customer,
        data={
            "previous_owners": [str(m.user.public_id) for m in owners],
            "invitations_revoked": revoked,
        },
    )


def _lock_submitted(application: ConnectionApplication) -> ConnectionApplication:
    application = ConnectionApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != ConnectionApplication.Status.SUBMITTED:
        raise ValidationError(_("Заявка уже рассмотрена."), code="reviewed")
    return application


def _connect(
    *,
    actor: User,
    application: ConnectionApplication,
    customer: Customer,
    role: str,
    attached: bool,
) -> Approval:
    """The representative's login (made if new), their membership with `role`, the consent, the
    application marked approved, the audit and the letter (email) or the password (paper)."""
    initial_password: str | None = None
    user = User.objects.filter(email__iexact=application.email).first()
    new_user = user is None
    if user is None:
        if application.delivery == ConnectionApplication.Delivery.PAPER:
            initial_password = _initial_password()
        # unconfirmed: it becomes a login only when the representative confirms it by code
        user = user_create(
            email=application.email,
            password=initial_password,
            phone=application.phone,
            last_name=application.last_name,
            first_name=application.first_name,
            patronymic=application.patronymic,
            email_verified=True,
            actor=actor,
        )
        user.must_change_password = True
        user.save(update_fields=["must_change_password"])
    Membership.objects.create(user=user, customer=customer, role=role)
    shell_version_bump([user.pk])
    _carry_over_consent(application, user)
    application.status = ConnectionApplication.Status.APPROVED
    application.reviewer, application.reviewed_at = actor, timezone.now()
    application.customer = customer
    application.save(update_fields=["status", "reviewer", "reviewed_at", "customer"])
    audit_record(
        action="connection.attach" if attached else "connection.approve",
        actor=actor,
        subject_user=user,
        target=application,
        data={
            "customer": str(customer.public_id),
            "delivery": application.delivery,
            "new_user": new_user,
            "role": role,
        },
    )
    if new_user and application.delivery == ConnectionApplication.Delivery.EMAIL:
        token = secrets.token_urlsafe(32)
        Invitation.objects.create(
            customer=customer,
            email=user.email or application.email,
            role=role,
            token_hash=hash_token(token),
            invited_by=actor,
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        link = url_for("invitation_accept", token, absolute=True)
    else:
        link = absolute_url(reverse("account_login"))
    if application.delivery == ConnectionApplication.Delivery.EMAIL or not new_user:
        _send_mail(
            to=application.email,
            subject=_("Заявка на подключение одобрена"),
            template="customers/email/connection_approved.txt",
            context={
                "application": application,
                "link": link,
                "new_user": new_user,
                "days": INVITATION_DAYS,
            },
        )
    return Approval(customer=customer, user=user, initial_password=initial_password)


@transaction.atomic
def connection_application_reject(
    *,
    actor: User,
    application: ConnectionApplication,
    reason: str,
) -> ConnectionApplication:
    """Reject with a reason; the applicant gets it by email."""
    _require_staff_perm(actor, "customers.review_connectionapplication")
    if not reason.strip():
        raise ValidationError({"reason": _("Укажите причину отказа: её получит заявитель.")})
    application = ConnectionApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != ConnectionApplication.Status.SUBMITTED:
        raise ValidationError(_("Заявка уже рассмотрена."), code="reviewed")
    application.status = ConnectionApplication.Status.REJECTED
    application.reviewer, application.reviewed_at = actor, timezone.now()
    application.reason = reason.strip()
    application.save(update_fields=["status", "reviewer", "reviewed_at", "reason"])
    audit_record(
        action="connection.reject",
        actor=actor,
        target=application,
        data={"reason": application.reason},
    )
    _send_mail(
        to=application.email,
        subject=_("Заявка на подключение отклонена"),
        template="customers/email/connection_rejected.txt",
        context={"application": application},
    )
    return application


# --- from the billing/ERP system ---------------------------------------------------------------

CUSTOMER_SYNC_FIELDS = ("kind", "name", "inn", "kpp", "ogrn", "phone", "email")


@transaction.atomic
def customer_upsert(
    *,
    external_id: str,
    kind: str,
    name: str,
    inn: str = "",
    kpp: str = "",
    ogrn: str = "",
    phone: str = "",
    email: str = "",
) -> tuple[Customer, str]:
    """Create or refresh a customer by the billing/ERP system's code; "created", "updated" or
    "unchanged" (the same data writes nothing). ИНН, КПП and ОГРН are checked as everywhere; a
    customer made so is confirmed (the system of record vouches for it)."""
    if kind not in Customer.Kind.values:
        raise ValidationError({"kind": _("Неизвестный тип клиента.")})
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Укажите наименование.")})
    inn, kpp, ogrn = (
        normalize_digits(inn),
        normalize_kpp(kpp) if kpp else "",
        normalize_digits(ogrn),
    )
    if inn:
        (validate_inn_legal if kind == Customer.Kind.LEGAL_ENTITY else validate_inn_person)(inn)
    if kpp:
        validate_kpp(kpp)
    if ogrn:
        (validate_ogrn if kind == Customer.Kind.LEGAL_ENTITY else validate_ogrnip)(ogrn)
    values = {
        "kind": kind,
        "name": name,
        "inn": inn,
        "kpp": kpp,
        "ogrn": ogrn,
        "phone": phone,
        "email": (email or "").lower(),
    }
    customer = Customer.objects.select_for_update().filter(external_id=external_id).first()
    if customer is None:
        customer = Customer.objects.create(external_id=external_id, confirmed=True, **values)
        audit_record(action="customer.imported", target=customer, data={"name": name})
        return customer, "created"
    changed = {k: v for k, v in values.items() if getattr(customer, k) != v}
    if not changed:
        return customer, "unchanged"
    for key, value in changed.items():
        setattr(customer, key, value)
    customer.save(update_fields=list(changed))
    shell_version_bump(customer.memberships.values_list("user_id", flat=True))
    audit_record(
        action="customer.updated_by_integration", target=customer, data={"fields": sorted(changed)}
    )
    return customer, "updated"
