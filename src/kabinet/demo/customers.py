"""Demo customers of every seed profile: who the demo customer user acts for, a colleague, a
domain to bind by, and a connection application waiting for staff. Idempotent.

All numbers are fictional but pass the check digits (computed, not copied from real companies).
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from kabinet.core.models import LegalDocument
from kabinet.core.selectors import legal_document_current
from kabinet.customers.models import ConnectionApplication, Customer, EmailDomain, Membership
from kabinet.demo.profiles import DOMAIN, PROFILES, DemoPerson
from kabinet.identity.models import User

SUPPORT_CLIENT_DOMAIN = f"support-client.{DOMAIN}"

INDIVIDUALS = {
    "energy": "12345678964",
    "utility": "23456789099",
    "grid": "34567890123",
}
LEGAL_ENTITIES = {
    "steel": {
        "name": "ООО «Прокат-Сервис»",
        "inn": "7725012341",
        "kpp": "772501001",
        "ogrn": "1027700012340",
    },
    "support": {
        "name": "ООО «Связь-Клиент»",
        "inn": "7810012342",
        "kpp": "781001001",
        "ogrn": "1037800012348",
    },
}
STEEL_ACCOUNTANT = DemoPerson(f"buh.prokat@{DOMAIN}", "Белова", "Наталья", "Игоревна")
SUPPORT_UNBOUND = DemoPerson(
    f"engineer@{SUPPORT_CLIENT_DOMAIN}", "Зайцев", "Артём", "Олегович", "+79161234515"
)


def _customer_of(user: User, key: str) -> Customer:
    if key in INDIVIDUALS:
        customer, _ = Customer.objects.get_or_create(
            kind=Customer.Kind.INDIVIDUAL,
            snils=INDIVIDUALS[key],
            defaults={"name": user.get_full_name(), "phone": user.phone or "", "email": user.email},
        )
    else:
        data = LEGAL_ENTITIES[key]
        customer, _ = Customer.objects.get_or_create(
            kind=Customer.Kind.LEGAL_ENTITY,
            inn=data["inn"],
            kpp=data["kpp"],
            defaults={"name": data["name"], "ogrn": data["ogrn"], "email": user.email},
        )
    Membership.objects.get_or_create(
        user=user, customer=customer, defaults={"role": Membership.Role.OWNER}
    )
    return customer


def demo_customers_load(*, profile: str, ensure_user) -> None:
    """Give each selected profile's demo customer user a customer of the right kind.

    `ensure_user(person)` creates or refreshes a demo login (demo_load's helper).
    """
    keys = list(PROFILES) if profile == "all" else [profile]
    for key in keys:
        user = User.objects.get(email__iexact=PROFILES[key].customer.email)
        customer = _customer_of(user, key)
        if key == "steel":
            accountant = ensure_user(STEEL_ACCOUNTANT)
            Membership.objects.get_or_create(
                user=accountant, customer=customer, defaults={"role": Membership.Role.ACCOUNTANT}
            )
        if key == "support":
            EmailDomain.objects.get_or_create(
                customer=customer,
                domain=SUPPORT_CLIENT_DOMAIN,
                defaults={"status": EmailDomain.Status.VERIFIED},
            )
            ensure_user(SUPPORT_UNBOUND)  # shown to the owner as a colleague to bind
    if profile in ("all", "steel", "utility") and not ConnectionApplication.objects.exists():
        application = ConnectionApplication(
            company_name="ООО «Уральский трубный завод»",
            inn="7733012345",
            kpp="773301001",
            last_name="Григорьев",
            first_name="Павел",
            patronymic="Андреевич",
            phone="+79161234520",
            email=f"grigoriev@utz.{DOMAIN}",
            contract_number="ПТ-2026/014",
            delivery=ConnectionApplication.Delivery.PAPER,
            power_of_attorney_name="doverennost.pdf",
            power_of_attorney_type="application/pdf",
            **_demo_consent(),
        )
        application.power_of_attorney.save(
            "doverennost.pdf",
            SimpleUploadedFile("doverennost.pdf", b"%PDF-1.4\n% demo power of attorney\n"),
            save=False,
        )
        application.save()
    if profile in ("all", "steel"):
        # a second representative of a company that is already a customer: staff see the warning
        # and «Привязать к существующему клиенту» instead of creating it twice
        steel = LEGAL_ENTITIES["steel"]
        ConnectionApplication.objects.get_or_create(
            email=f"smirnova.prokat@{DOMAIN}",
            defaults={
                "company_name": steel["name"],
                "inn": steel["inn"],
                "kpp": steel["kpp"],
                "last_name": "Смирнова",
                "first_name": "Екатерина",
                "patronymic": "Юрьевна",
                "phone": "+79161234521",
                "contract_number": "ПС-2025/031",
                "delivery": ConnectionApplication.Delivery.EMAIL,
                **_demo_consent(),
            },
        )


def _demo_consent() -> dict:
    """The personal-data consent as the public form records it (the current text, now)."""
    from django.utils import timezone

    document = legal_document_current(LegalDocument.Kind.PD_CONSENT)
    if document is None:
        return {}
    return {
        "consent_document": document,
        "consent_given_at": timezone.now(),
        "consent_ip": "203.0.113.10",
        "consent_user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/140.0",
    }
