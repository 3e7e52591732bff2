"""Customers (individuals, sole proprietors, legal entities), the people acting for them and how they
got there: memberships with roles, invitations, email domains and connection applications."""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kabinet.core.models import PublicIdModel
from kabinet.core.uploads import safe_filename

# Addresses anyone can get: a claim on one of these would bind strangers to a company.
FREE_MAIL_DOMAINS: frozenset[str] = frozenset(
    {
        "mail.ru",
        "bk.ru",
        "inbox.ru",
        "list.ru",
        "internet.ru",
        "xmail.ru",
        "yandex.ru",
        "ya.ru",
        "yandex.com",
        "yandex.by",
        "yandex.kz",
        "narod.ru",
        "rambler.ru",
        "lenta.ru",
        "autorambler.ru",
        "ro.ru",
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "yahoo.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "pm.me",
        "gmx.com",
        "gmx.de",
        "zoho.com",
        "tutanota.com",
        "qip.ru",
        "pochta.ru",
    }
)


def hash_token(token: str) -> str:
    """Tokens are stored as SHA-256: a leaked table does not let anyone accept an invitation."""
    return hashlib.sha256(token.encode()).hexdigest()


class Customer(PublicIdModel):
    """Whoever the company serves: an individual, a sole proprietor or a legal entity."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Физическое лицо")
        SOLE_PROPRIETOR = "sole_proprietor", _("Индивидуальный предприниматель")
        LEGAL_ENTITY = "legal_entity", _("Юридическое лицо")

    kind = models.CharField(_("тип клиента"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("наименование"), max_length=255)
    inn = models.CharField(_("ИНН"), max_length=12, blank=True, db_index=True)
    kpp = models.CharField(_("КПП"), max_length=9, blank=True)
    ogrn = models.CharField(_("ОГРН / ОГРНИП"), max_length=15, blank=True)
    snils = models.CharField(_("СНИЛС"), max_length=11, blank=True)
    phone = models.CharField(_("телефон"), max_length=16, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    # the billing/ERP system's code for this customer (the integration API upserts by it)
    external_id = models.CharField(
        _("код в учётной системе"), max_length=64, unique=True, null=True, blank=True
    )
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)
    # A legal entity anyone registered by its public ИНН is not trusted until staff check it:
    # no invitations and no account links before (customer_register_type sets False). Customers
    # made by staff, the billing integration or an approved application are confirmed.
    confirmed = models.BooleanField(
        _("подтверждён"),
        default=True,
        help_text=_(
            "Организацию, зарегистрированную пользователем самостоятельно, подтверждает сотрудник; "
            "до этого нельзя приглашать коллег и подключать лицевые счета."
        ),
    )

    class Meta:
        verbose_name = _("клиент")
        verbose_name_plural = _("клиенты")
        ordering = ["name", "pk"]
        permissions = [
            ("review_connectionapplication", _("Может рассматривать заявки на подключение")),
            ("bind_contact", _("Может привязывать контактных лиц к клиентам")),
            ("verify_emaildomain", _("Может подтверждать почтовые домены клиентов")),
        ]

    def __str__(self) -> str:
        return self.name

    def require_confirmed(self) -> None:
        """Raise ValidationError (in words) while staff have not confirmed the organisation."""
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext

        if not self.confirmed:
            raise ValidationError(
                gettext(
                    "Организация «%(name)s» ещё не подтверждена: приглашать коллег и подключать "
                    "лицевые счета можно после проверки сотрудником. Обычно это занимает 1–2 "
                    "рабочих дня."
                )
                % {"name": self.name},
                code="unconfirmed",
            )


class Membership(models.Model):
    """A user acting for a customer, with a role that says what they may do there."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Владелец")
        MANAGER = "manager", _("Менеджер")
        ACCOUNTANT = "accountant", _("Бухгалтер")
        # a B2B buyer's logistics person: shipments and their documents (supply.access)
        LOGISTICS = "logistics", _("Логист")
        VIEWER = "viewer", _("Наблюдатель")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("пользователь"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("клиент"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("роль"), max_length=20, choices=Role.choices)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)

    class Meta:
        verbose_name = _("участие в клиенте")
        verbose_name_plural = _("участие в клиентах")
        ordering = ["customer", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "customer"], name="membership_user_customer"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.customer} ({self.get_role_display()})"


# The session's choice of customer, and who may do what with memberships (here, below both the
# services that enforce them and the selectors that show them).
ACTIVE_CUSTOMER_SESSION_KEY = "kabinet.active_customer"
# set at the first login where the deployment asks the customer type; the portal leads there until
# the person is someone's member (portal middleware, the «Тип клиента» page and its signal)
CUSTOMER_TYPE_PENDING = "kabinet.customer_type_pending"
# who may invite colleagues; only owners may change roles or remove people
INVITER_ROLES: set[str] = {Membership.Role.OWNER, Membership.Role.MANAGER}
ROLE_MANAGER_ROLES: set[str] = {Membership.Role.OWNER}


class Invitation(PublicIdModel):
    """An owner's invitation of a colleague by email; the link carries a token stored hashed."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("клиент"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("электронная почта"))
    role = models.CharField(_("роль"), max_length=20, choices=Membership.Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("пригласил"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    expires_at = models.DateTimeField(_("действует до"))
    accepted_at = models.DateTimeField(_("принято"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("отозвано"), null=True, blank=True)

    class Meta:
        verbose_name = _("приглашение")
        verbose_name_plural = _("приглашения")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.customer}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )

    @property
    def state(self) -> str:
        """«open», «accepted», «revoked» or «expired» (what its link's page says)."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


class EmailDomain(models.Model):
    """A mail domain a customer claims as its own; verified by staff, it binds colleagues."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("На проверке")
        VERIFIED = "verified", _("Подтверждён")
        REJECTED = "rejected", _("Отклонён")

    customer = models.ForeignKey(
        Customer, verbose_name=_("клиент"), on_delete=models.CASCADE, related_name="domains"
    )
    domain = models.CharField(_("домен"), max_length=253)
    status = models.CharField(
        _("статус"), max_length=10, choices=Status.choices, default=Status.CLAIMED
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("заявил"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("заявлен"), auto_now_add=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("проверил"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("проверен"), null=True, blank=True)
    reason = models.CharField(_("причина отказа"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("почтовый домен")
        verbose_name_plural = _("почтовые домены")
        ordering = ["domain"]
        constraints = [
            # one company per verified domain: a domain cannot bind people to two customers
            models.UniqueConstraint(
                Lower("domain"),
                condition=models.Q(status="verified"),
                name="email_domain_verified_once",
            ),
            models.UniqueConstraint(
                fields=["customer", "domain"], name="email_domain_per_customer"
            ),
        ]

    def __str__(self) -> str:
        return self.domain


def power_of_attorney_path(instance: ConnectionApplication, filename: str) -> str:
    # outside any public URL; a random folder so names never collide or reveal the company
    return f"private/connection/{uuid.uuid4().hex}/{safe_filename(filename, fallback='doc')}"


class ConnectionApplication(PublicIdModel):
    """A legal entity's application to be connected to the portal (docs/domain.md)."""

    class Delivery(models.TextChoices):
        EMAIL = "email", _("По электронной почте")
        PAPER = "paper", _("На бумажном носителе")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("На рассмотрении")
        APPROVED = "approved", _("Одобрена")
        REJECTED = "rejected", _("Отклонена")

    company_name = models.CharField(_("полное наименование организации"), max_length=255)
    inn = models.CharField(_("ИНН"), max_length=10)
    kpp = models.CharField(_("КПП"), max_length=9)
    last_name = models.CharField(_("фамилия представителя"), max_length=100)
    first_name = models.CharField(_("имя представителя"), max_length=100)
    patronymic = models.CharField(_("отчество представителя"), max_length=100, blank=True)
    phone = models.CharField(_("телефон"), max_length=16)
    email = models.EmailField(_("электронная почта"))
    contract_number = models.CharField(_("номер договора"), max_length=50)
    delivery = models.CharField(
        _("способ получения логина и пароля"), max_length=10, choices=Delivery.choices
    )
    power_of_attorney = models.FileField(
        _("доверенность"), upload_to=power_of_attorney_path, max_length=255, blank=True
    )
    power_of_attorney_name = models.CharField(max_length=150, blank=True)
    power_of_attorney_type = models.CharField(max_length=50, blank=True)
    status = models.CharField(
        _("статус"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("подана"), auto_now_add=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("рассмотрел"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("рассмотрена"), null=True, blank=True)
    reason = models.TextField(_("причина отказа"), blank=True)
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("клиент"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The representative's personal-data consent (152-ФЗ art. 9), given on the public form; on
    # approval it becomes the created login's consent record with the same time, IP and browser.
    consent_document = models.ForeignKey(
        "core.LegalDocument",
        verbose_name=_("согласие на обработку персональных данных"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    consent_given_at = models.DateTimeField(_("согласие дано"), null=True, blank=True)
    consent_ip = models.GenericIPAddressField(_("IP-адрес согласия"), null=True, blank=True)
    consent_user_agent = models.CharField(_("браузер согласия"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("заявка на подключение")
        verbose_name_plural = _("заявки на подключение")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.company_name} ({self.inn})"

    @property
    def representative(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def number(self) -> str:
        """The short number the applicant quotes: «7F3A-91C2», the start of the public id."""
        head = self.public_id.hex[:8].upper()
        return f"{head[:4]}-{head[4:]}"


# --- personal accounts (лицевые счета), premises and contracts --------------------------------------
# They arrive from the billing system (`account_services.*_upsert`); customers reach them through
# AccountLink rows (the linking wizard, staff, the integration or an approved link request).


class Premises(PublicIdModel):
    """The place a service is supplied to: a flat, a house, a non-residential room."""

    class Kind(models.TextChoices):
        FLAT = "flat", _("квартира")
        HOUSE = "house", _("частный дом")
        NON_RESIDENTIAL = "non_residential", _("нежилое помещение")

    external_id = models.CharField(
        _("код в учётной системе"), max_length=64, unique=True, null=True, blank=True
    )
    kind = models.CharField(_("тип помещения"), max_length=20, choices=Kind.choices)
    address = models.CharField(_("адрес"), max_length=500)
    postal_code = models.CharField(_("индекс"), max_length=6, blank=True)
    area = models.DecimalField(
        _("площадь, м²"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    residents = models.PositiveSmallIntegerField(_("проживает, чел."), null=True, blank=True)

    class Meta:
        verbose_name = _("помещение")
        verbose_name_plural = _("помещения")

    def __str__(self) -> str:
        return self.address


class Contract(PublicIdModel):
    """A supply contract (договор энергоснабжения); a household's is often one per account."""

    class Kind(models.TextChoices):
        HOUSEHOLD = "household", _("бытовой абонент")
        BUSINESS = "business", _("юридическое лицо / ИП")

    number = models.CharField(_("номер договора"), max_length=50, unique=True)
    kind = models.CharField(_("вид договора"), max_length=20, choices=Kind.choices)
    signed_on = models.DateField(_("дата заключения"), null=True, blank=True)
    ended_on = models.DateField(_("дата расторжения"), null=True, blank=True)
    title = models.CharField(_("предмет договора"), max_length=255, blank=True)
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("клиент"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contracts",
    )

    class Meta:
        verbose_name = _("договор")
        verbose_name_plural = _("договоры")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number


class PersonalAccount(PublicIdModel):
    """A personal account (лицевой счёт) of the billing system."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("физическое лицо")
        LEGAL = "legal", _("юридическое лицо / ИП")

    number = models.CharField(_("номер лицевого счёта"), max_length=20, unique=True)
    kind = models.CharField(
        _("тип абонента"), max_length=20, choices=Kind.choices, default=Kind.INDIVIDUAL
    )
    owner_last_name = models.CharField(_("фамилия владельца"), max_length=100, blank=True)
    owner_first_name = models.CharField(_("имя владельца"), max_length=100, blank=True)
    owner_patronymic = models.CharField(_("отчество владельца"), max_length=100, blank=True)
    owner_name = models.CharField(_("наименование владельца"), max_length=255, blank=True)
    premises = models.ForeignKey(
        Premises,
        verbose_name=_("помещение"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
    )
    contract = models.ForeignKey(
        Contract,
        verbose_name=_("договор"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
    )
    # the code printed on each receipt: one of the proofs of ownership a deployment may ask for
    receipt_code = models.CharField(_("код с квитанции"), max_length=12, blank=True)
    opened_on = models.DateField(_("открыт"), null=True, blank=True)
    closed_on = models.DateField(_("закрыт"), null=True, blank=True)
    updated_at = models.DateTimeField(_("обновлён"), auto_now=True)

    class Meta:
        verbose_name = _("лицевой счёт")
        verbose_name_plural = _("лицевые счета")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number

    @property
    def owner(self) -> str:
        if self.owner_name:
            return self.owner_name
        parts = (self.owner_last_name, self.owner_first_name, self.owner_patronymic)
        return " ".join(p for p in parts if p)

    @property
    def address(self) -> str:
        return self.premises.address if self.premises_id else ""


class AccountService(models.Model):
    """A service billed on the account (электроснабжение, горячая вода, ...), as the billing names it."""

    account = models.ForeignKey(PersonalAccount, on_delete=models.CASCADE, related_name="services")
    code = models.CharField(_("код услуги"), max_length=32)
    name = models.CharField(_("услуга"), max_length=150)
    unit = models.CharField(_("единица"), max_length=20, blank=True)
    tariff = models.DecimalField(
        _("тариф, ₽ за единицу"), max_digits=12, decimal_places=4, null=True, blank=True
    )

    class Meta:
        verbose_name = _("услуга по счёту")
        verbose_name_plural = _("услуги по счёту")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["account", "code"], name="account_service_code_once")
        ]

    def __str__(self) -> str:
        return self.name


class AccountLink(models.Model):
    """A customer manages a personal account: how it got linked, and by whom."""

    class Source(models.TextChoices):
        WIZARD = "wizard", _("мастер подключения")
        STAFF = "staff", _("сотрудник")
        INTEGRATION = "integration", _("учётная система")
        REQUEST = "request", _("одобренная заявка")

    account = models.ForeignKey(PersonalAccount, on_delete=models.CASCADE, related_name="links")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="account_links")
    source = models.CharField(_("способ"), max_length=20, choices=Source.choices)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("подключён"), auto_now_add=True)

    class Meta:
        verbose_name = _("подключение лицевого счёта")
        verbose_name_plural = _("подключения лицевых счетов")
        constraints = [
            models.UniqueConstraint(fields=["account", "customer"], name="account_linked_once")
        ]

    def __str__(self) -> str:
        return f"{self.account} → {self.customer}"


class AccountLinkRequest(PublicIdModel):
    """A request to link an account that an operator approves (the grid company's «Привязать новый», docs/domain.md)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("на рассмотрении")
        APPROVED = "approved", _("одобрена")
        REJECTED = "rejected", _("отклонена")
        WITHDRAWN = "withdrawn", _("отозвана")

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="account_link_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    number = models.CharField(_("номер лицевого счёта"), max_length=20)
    last_name = models.CharField(_("фамилия"), max_length=100)
    first_name = models.CharField(_("имя"), max_length=100, blank=True)
    patronymic = models.CharField(_("отчество"), max_length=100, blank=True)
    status = models.CharField(
        _("статус"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("подана"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("рассмотрена"), null=True, blank=True)
    reason = models.CharField(_("причина отказа"), max_length=500, blank=True)
    account = models.ForeignKey(
        PersonalAccount, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("заявка на привязку лицевого счёта")
        verbose_name_plural = _("заявки на привязку лицевых счетов")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number
