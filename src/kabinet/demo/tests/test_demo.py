from io import StringIO

import pytest
from django.core.management import call_command

from kabinet.core.models import LegalDocument, Organisation
from kabinet.core.selectors import organisation_get
from kabinet.core.services import organisation_update
from kabinet.demo.profiles import PROFILES
from kabinet.demo.services import demo_load, demo_password
from kabinet.identity.models import User


@pytest.mark.django_db
def test_demo_profile_all_has_a_customer_per_seed_an_operator_and_an_administrator():
    logins = demo_load(profile="all")
    emails = {login.login for login in logins}
    assert {p.customer.email for p in PROFILES.values()} <= emails
    operator = User.objects.get(email="operator@demo.kabinet.example")
    administrator = User.objects.get(email="admin@demo.kabinet.example")
    assert operator.has_perm("identity.access_backoffice")
    assert administrator.has_perm("core.change_organisation")
    assert all(User.objects.get(email=e).check_password(demo_password()) for e in emails)


@pytest.mark.django_db
def test_loading_a_demo_twice_is_safe_and_keeps_one_of_everything():
    demo_load(profile="energy")
    demo_load(profile="energy")
    assert User.objects.filter(email="energy@demo.kabinet.example").count() == 1
    assert LegalDocument.objects.filter(kind="terms").count() == 1
    assert organisation_get().short_name == "ООО «ГорЭнергоСбыт»"


@pytest.mark.django_db
def test_demo_can_log_in_right_after_setup(client):
    demo_load(profile="steel")
    response = client.post(
        "/accounts/login/", {"login": "steel@demo.kabinet.example", "password": demo_password()}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_demo_command_prints_the_logins():
    out = StringIO()
    call_command("demo", "--profile", "grid", "--no-serve", stdout=out)
    text = out.getvalue()
    assert "grid@demo.kabinet.example" in text
    assert "operator@demo.kabinet.example" in text
    assert demo_password() in text


def test_the_demo_has_requests_of_each_seed_once_and_switches_types_per_profile(db):
    from kabinet.servicedesk.models import ArchivedRequest, Request, RequestType

    # given the demo loaded twice
    demo_load(profile="all")
    count = Request.objects.count()
    demo_load(profile="all")
    # then the requests of energy, grid, steel and support are there once
    assert Request.objects.count() == count >= 8
    assert set(Request.objects.values_list("type__key", flat=True)) >= {
        "appeal",
        "contract",
        "claim",
        "demand",
        "support",
        "reception_feedback",
    }
    assert ArchivedRequest.objects.count() == 2
    # and the energy customer has received a message from the company, answered once
    received = Request.objects.get(initiated_by_staff=True)
    assert received.customer.memberships.filter(user__email__startswith="energy@").exists()
    assert received.events.filter(kind="message", by_staff=False).count() == 1
    # a single-profile deployment offers only its own types
    demo_load(profile="support")
    assert set(RequestType.objects.filter(is_active=True).values_list("key", flat=True)) == {
        "support"
    }


@pytest.mark.django_db
def test_demo_customers_have_notifications_under_the_bell_once():
    from kabinet.notifications.models import Notification

    demo_load(profile="energy")
    demo_load(profile="energy")
    anna = User.objects.get(email="energy@demo.kabinet.example")
    # (the demo requests' answers notify her too: counted apart)
    demo_notes = Notification.objects.filter(user=anna).exclude(event__startswith="servicedesk.")
    assert demo_notes.count() == 3
    assert demo_notes.filter(read_at=None).count() == 2


@pytest.mark.django_db
def test_demo_mail_links_lead_to_the_address_the_demo_serves_on(monkeypatch):
    import os

    from kabinet.notifications.models import OutboxMessage

    # given no SITE_URL in the environment (set first, so that the test's end removes it again)
    monkeypatch.setenv("SITE_URL", "unset")
    monkeypatch.delenv("SITE_URL")
    # when the demo is set up to serve on another port than the default
    call_command(
        "demo", "--profile", "support", "--no-serve", "--addr", "127.0.0.1:8062", stdout=StringIO()
    )
    # then the demo's mail links there, and the web server and worker are told the same
    texts = " ".join(OutboxMessage.objects.values_list("text", flat=True))
    assert "http://127.0.0.1:8062/requests/" in texts
    assert "127.0.0.1:8000" not in texts
    assert os.environ["SITE_URL"] == "http://127.0.0.1:8062"


@pytest.mark.django_db
def test_a_second_demo_load_keeps_the_administrators_profile_edits(administrator):
    # given the energy demo, then an administrator's own name, support phone and payee
    demo_load(profile="energy")
    own_payee = {
        "payee_name": "ООО «Западная сетевая компания»",
        "payee_inn": "5503034566",
        "payee_kpp": "550401001",
        "payee_bik": "045209640",
        "payee_account": "40702810767000007788",
        "payee_correspondent_account": "30101810700000000640",
        "payee_bank_name": "АО «Банк Западный (дем)»",
    }
    organisation_update(
        actor=administrator,
        short_name="ООО «Наш Сбыт»",
        support_phone="+73812000000",
        **own_payee,
    )
    # when `kabinet demo` runs again (also with another profile)
    demo_load(profile="energy")
    demo_load(profile="utility")
    # then the edits stay; the fields the administrator left as the demo set them follow the demo
    organisation = Organisation.objects.get(pk=1)
    assert organisation.short_name == "ООО «Наш Сбыт»"
    assert organisation.support_phone == "+73812000000"
    assert {name: getattr(organisation, name) for name in own_payee} == own_payee
    assert organisation.name == PROFILES["utility"].organisation["name"]
    # and the load is still idempotent: one organisation, nothing changed by a third run
    demo_load(profile="utility")
    assert Organisation.objects.count() == 1
    assert Organisation.objects.get(pk=1).short_name == "ООО «Наш Сбыт»"


@pytest.mark.django_db
def test_the_first_demo_load_sets_the_whole_profile():
    assert not Organisation.objects.exists()
    demo_load(profile="grid")
    organisation = organisation_get()
    for field, value in PROFILES["grid"].organisation.items():
        assert getattr(organisation, field) == value, field


@pytest.mark.django_db
def test_the_steel_demo_has_applications_with_consent_and_one_from_an_existing_customer():
    from kabinet.customers.models import ConnectionApplication
    from kabinet.customers.selectors import connection_application_same_customer

    # given the steel demo loaded twice
    demo_load(profile="steel")
    demo_load(profile="steel")
    applications = list(ConnectionApplication.objects.order_by("pk"))
    # then there are two waiting applications, each with the representative's consent recorded
    assert len(applications) == 2
    assert all(a.consent_document and a.consent_given_at for a in applications)
    # and one comes from «ООО «Прокат-Сервис»», already a customer, to show the staff warning
    same = [connection_application_same_customer(a) for a in applications]
    assert [c.name if c else None for c in same] == [None, "ООО «Прокат-Сервис»"]


@pytest.mark.django_db
def test_the_demo_staff_read_the_demo_mailbox_though_no_role_does():
    # given the demo loaded
    demo_load(profile="energy")
    # then its operator and administrator read the demo mailbox and SMS (as before)…
    for email in ("operator@demo.kabinet.example", "admin@demo.kabinet.example"):
        assert User.objects.get(email=email).has_perm("identity.view_demo_mailbox")
    # …while the operator role itself no longer carries that permission
    from django.contrib.auth.models import Group

    operators = Group.objects.get(name="operator")
    assert not operators.permissions.filter(codename="view_demo_mailbox").exists()


@pytest.mark.django_db
def test_demo_command_refuses_a_database_with_real_users():
    from django.core.management.base import CommandError

    from kabinet.identity.tests.factories import UserFactory

    # given a database where a real person has an account
    UserFactory(email="anna.ivanova@example.ru")
    # when someone runs `kabinet demo` against it
    with pytest.raises(CommandError, match="не демонстрационные"):
        call_command("demo", "--profile", "energy", "--no-serve", stdout=StringIO())
    # then no demo account with the public password was made
    assert not User.objects.filter(email__endswith="demo.kabinet.example").exists()


@pytest.mark.django_db
def test_demo_command_runs_again_over_its_own_demo(settings):
    demo_load(profile="energy")
    call_command("demo", "--profile", "energy", "--no-serve", stdout=StringIO())
    assert User.objects.filter(email="energy@demo.kabinet.example").count() == 1


@pytest.mark.django_db
def test_demo_command_refuses_to_run_without_the_demo_tools(settings):
    from django.core.management.base import CommandError

    settings.KABINET_DEMO_TOOLS = False
    with pytest.raises(CommandError, match="KABINET_DEMO_TOOLS"):
        call_command("demo", "--profile", "energy", "--no-serve", stdout=StringIO())
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("given", "expected"),
    [({}, ("1", "31")), ({"KABINET_READINGS_WINDOW_START": "20"}, ("20", "31"))],
)
def test_the_demo_opens_the_readings_window_every_day_unless_told_otherwise(
    monkeypatch, given, expected
):
    import os

    from kabinet.core.management.commands import serve

    # given no window (or only its start) in the environment, and a serve that only records it
    for name in ("KABINET_READINGS_WINDOW_START", "KABINET_READINGS_WINDOW_END"):
        monkeypatch.setenv(name, "unset")
        monkeypatch.delenv(name)
    for name, value in given.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SITE_URL", "http://127.0.0.1:8000")
    monkeypatch.setenv("KABINET_STAFF_MFA_REQUIRED", "false")
    seen = {}

    def record(self, *args, **options):
        seen["window"] = (
            os.environ["KABINET_READINGS_WINDOW_START"],
            os.environ["KABINET_READINGS_WINDOW_END"],
        )

    monkeypatch.setattr(serve.Command, "handle", record)
    out = StringIO()
    # when the demo starts serving
    call_command("demo", "--profile", "energy", stdout=out)
    # then the web server and worker it starts accept readings on those days, and it says so
    assert seen["window"] == expected
    assert f"с {expected[0]} по {expected[1]} число" in out.getvalue()


@pytest.mark.django_db
def test_every_demo_notification_leads_to_a_page_its_person_can_open(client):
    from kabinet.notifications.models import Notification

    # given the demo of every profile
    demo_load(profile="all")
    for demo in PROFILES.values():
        person = User.objects.get(email__iexact=demo.customer.email)
        notes = Notification.objects.filter(user=person)
        # then each demo customer has something under the bell
        assert notes.exists(), demo.key
        client.force_login(person)
        for note in notes:
            # and every entry links to a real page this person may open
            assert note.url, (demo.key, note.title)
            response = client.get(note.url)
            assert response.status_code == 200, (demo.key, note.title, note.url)
