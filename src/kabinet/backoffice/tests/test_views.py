import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from kabinet.core.models import AuditEvent, LegalDocument

STAFF_PAGES = ["backoffice:home"]
DEMO_PAGES = ["backoffice:mailbox", "backoffice:sms_outbox"]


@pytest.fixture
def demo_staff(db):
    """The demo's operator: the demo gives its staff the demo mailbox permission directly."""
    from django.contrib.auth.models import Permission

    from kabinet.identity import roles
    from kabinet.identity.tests.factories import UserFactory, enable_totp

    user = UserFactory(is_staff=True, roles=(roles.OPERATOR,))
    user.user_permissions.add(Permission.objects.get(codename="view_demo_mailbox"))
    enable_totp(user)
    return user


ADMIN_PAGES = [
    "backoffice:organisation",
    "backoffice:legal_documents",
    "backoffice:legal_document_new",
    "backoffice:audit",
]


def test_anonymous_visitors_are_sent_to_login(client, organisation):
    response = client.get(reverse("backoffice:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("name", STAFF_PAGES + ADMIN_PAGES)
def test_customers_never_enter_the_back_office(client, customer, organisation, name):
    client.force_login(customer)
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_operators_work_in_the_back_office(client, operator, organisation, name):
    client.force_login(operator)
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_operators_cannot_change_portal_settings(client, operator, organisation, name):
    client.force_login(operator)
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", STAFF_PAGES + ADMIN_PAGES)
def test_administrators_see_every_back_office_page(client, administrator, organisation, name):
    client.force_login(administrator)
    assert client.get(reverse(name)).status_code == 200


def test_staff_navigation_follows_the_role(client, operator, administrator, organisation):
    client.force_login(operator)
    page = client.get(reverse("backoffice:home")).content.decode()
    assert reverse("backoffice:lockouts") in page
    assert reverse("backoffice:organisation") not in page
    client.force_login(administrator)
    page = client.get(reverse("backoffice:home")).content.decode()
    assert reverse("backoffice:organisation") in page


def test_the_overview_names_readiness_checks_in_russian(client, operator, organisation):
    # given a member of staff
    client.force_login(operator)
    # when they open the overview
    page = client.get(reverse("backoffice:home")).content.decode()
    # then the readiness table names each check in Russian, not by its machine key
    for label in ("База данных", "Хранилище файлов", "Очередь фоновых задач"):
        assert f'<th scope="row">{label}</th>' in page
    for key in ("database", "storage", "task_queue"):
        assert f'<th scope="row">{key}</th>' not in page
    # and /readyz keeps its machine keys
    assert set(client.get(reverse("readyz")).json()["checks"]) == {
        "database",
        "storage",
        "task_queue",
    }


def _png(size=(16, 16)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#0b5cad").save(buffer, "PNG")
    return buffer.getvalue()


def _organisation_form(**overrides):
    data = {
        "name": "ООО «Тестовая энергосбытовая компания»",
        "short_name": "ООО «ТЭК»",
        "portal_title": "Личный кабинет абонента",
        "primary_colour": "#0b5cad",
        "accent_colour": "#0a7a4b",
        "support_email": "help@tek.example",
        "support_phone": "+78005553535",
        "support_hours": "Пн–Пт",
        "address": "",
        "website": "",
    }
    data.update(overrides)
    return data


def test_administrator_rebrands_the_portal_with_a_logo(client, administrator, organisation):
    client.force_login(administrator)
    response = client.post(
        reverse("backoffice:organisation"),
        _organisation_form(
            short_name="АО «Свет»",
            logo_upload=SimpleUploadedFile("logo.png", _png()),
        ),
    )
    assert response.status_code == 302
    page = client.get(reverse("portal:help")).content.decode()
    assert "АО «Свет»" in page
    logo = client.get(reverse("portal:brand_logo"))
    assert logo.status_code == 200
    assert b"".join(logo.streaming_content).startswith(b"\x89PNG")
    assert AuditEvent.objects.filter(action="organisation.update", actor=administrator).exists()


def test_a_fake_logo_is_refused_and_the_form_keeps_the_input(client, administrator, organisation):
    client.force_login(administrator)
    response = client.post(
        reverse("backoffice:organisation"),
        _organisation_form(
            short_name="АО «Свет»",
            logo_upload=SimpleUploadedFile("logo.png", b"MZ\x90\x00 not an image"),
        ),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "не является изображением" in page
    assert 'value="АО «Свет»"' in page
    organisation.refresh_from_db()
    assert organisation.short_name == "ООО «ТЭК»"


def test_a_bad_colour_is_explained_in_russian(client, administrator, organisation):
    client.force_login(administrator)
    response = client.post(
        reverse("backoffice:organisation"), _organisation_form(primary_colour="blue")
    )
    assert response.status_code == 400
    assert "Цвет в формате #RRGGBB" in response.content.decode()


def test_administrator_publishes_a_new_version_of_a_legal_text(client, administrator, organisation):
    client.force_login(administrator)
    for body in ("Первая редакция", "Вторая редакция"):
        response = client.post(
            reverse("backoffice:legal_document_new"),
            {
                "kind": "pd_consent",
                "title": "Согласие",
                "body": body,
                "effective_from": "01.02.2026",
            },
        )
        assert response.status_code == 302
    versions = list(LegalDocument.objects.filter(kind="pd_consent").values_list("version", "body"))
    assert sorted(versions) == [(1, "Первая редакция"), (2, "Вторая редакция")]


def test_a_date_in_the_wrong_format_is_explained(client, administrator, organisation):
    client.force_login(administrator)
    response = client.post(
        reverse("backoffice:legal_document_new"),
        {
            "kind": "terms",
            "title": "Соглашение",
            "body": "Текст",
            "effective_from": "2026/99/99",
        },
    )
    assert response.status_code == 400
    assert "Введите правильную дату." in response.content.decode()
    assert "Текст" in response.content.decode()


@pytest.mark.parametrize("name", DEMO_PAGES)
def test_no_staff_role_reads_customers_reset_links(
    client, operator, administrator, organisation, name
):
    # given an operator and an administrator of a real deployment
    for who in (operator, administrator):
        client.force_login(who)
        # then neither may open the demo mailbox or SMS, nor sees them in the menu
        assert client.get(reverse(name)).status_code == 403
        assert reverse(name) not in client.get(reverse("backoffice:home")).content.decode()


@pytest.mark.parametrize("name", DEMO_PAGES)
def test_without_the_demo_tools_the_demo_pages_answer_404(
    client, demo_staff, organisation, settings, name
):
    # given staff who hold the permission, on a site without the demo tools (production)
    settings.KABINET_DEMO_TOOLS = False
    client.force_login(demo_staff)
    # then the pages are not there, not even in the menu
    assert client.get(reverse(name)).status_code == 404
    assert reverse(name) not in client.get(reverse("backoffice:home")).content.decode()
    assert (
        client.get(reverse("backoffice:mailbox_message", args=["20260101T000000-0123456789ab"]))
    ).status_code == 404


def test_every_view_of_the_demo_pages_is_audited(
    client, demo_staff, organisation, settings, tmp_path
):
    from django.core.mail import EmailMessage

    settings.KABINET_MAIL_OUTBOX_DIR = tmp_path
    settings.MAILERS = {
        "default": {
            "BACKEND": "kabinet.core.mail.OutboxEmailBackend",
            "OPTIONS": {"directory": str(tmp_path)},
        }
    }
    EmailMessage("Сброс пароля", "ссылка", to=["anna@example.ru"]).send()
    message_id = next(tmp_path.glob("*.eml")).stem
    client.force_login(demo_staff)
    # when the demo's staff member reads the mailbox, one message and the SMS page
    client.get(reverse("backoffice:mailbox"), {"to": "anna@example.ru"})
    client.get(reverse("backoffice:mailbox_message", args=[message_id]))
    client.get(reverse("backoffice:sms_outbox"), {"phone": "+79161234567"})
    # then each view is in the audit log, with who and what they looked at
    events = AuditEvent.objects.filter(actor=demo_staff, action__startswith="demo_").order_by("id")
    assert [(e.action, e.data) for e in events] == [
        ("demo_mailbox.view", {"to": "anna@example.ru"}),
        ("demo_mailbox.view", {"message": message_id, "to": "anna@example.ru"}),
        ("demo_sms.view", {"phone": "+79161234567"}),
    ]


def test_demo_mailbox_shows_sent_mail_with_clickable_escaped_links(
    client, demo_staff, settings, tmp_path, organisation
):
    from django.core.mail import EmailMessage

    settings.KABINET_MAIL_OUTBOX_DIR = tmp_path
    settings.MAILERS = {
        "default": {
            "BACKEND": "kabinet.core.mail.OutboxEmailBackend",
            "OPTIONS": {"directory": str(tmp_path)},
        }
    }
    EmailMessage(
        "Активация",
        "Перейдите: http://127.0.0.1:8000/accounts/confirm-email/KEY/\n<b>не жирный</b>",
        to=["new@example.ru"],
    ).send()
    client.force_login(demo_staff)
    listing = client.get(reverse("backoffice:mailbox")).content.decode()
    assert "Активация" in listing and "new@example.ru" in listing
    message_id = sorted(p.stem for p in tmp_path.glob("*.eml"))[0]
    page = client.get(reverse("backoffice:mailbox_message", args=[message_id])).content.decode()
    assert '<a href="http://127.0.0.1:8000/accounts/confirm-email/KEY/"' in page
    assert "&lt;b&gt;не жирный&lt;/b&gt;" in page


def test_audit_log_filters_by_event(client, administrator, organisation):
    from kabinet.core.services import audit_record

    audit_record(action="login.failed", data={})
    audit_record(action="organisation.update", data={})
    client.force_login(administrator)
    page = client.get(
        reverse("backoffice:audit"), {"action": "login"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "login.failed" in page
    assert "organisation.update" not in page


def test_audit_log_names_events_in_russian_with_the_code_alongside(
    client, administrator, organisation, django_assert_max_num_queries
):
    from kabinet.core.services import audit_record

    # given events of two apps and one nobody labelled
    audit_record(action="login.failed", data={})
    audit_record(action="servicedesk.note_add", data={})
    audit_record(action="someone.new_code", data={})
    client.force_login(administrator)
    # when staff open the audit log
    with django_assert_max_num_queries(16):
        page = client.get(reverse("backoffice:audit")).content.decode()
    # then the filter offers labels with the code, so staff can still search by code
    assert "Неудачная попытка входа (login.failed)" in page
    assert "Заявка: внутренняя заметка (servicedesk.note_add)" in page
    # and the table shows the label with the code as secondary text; an unknown code as itself
    assert "Неудачная попытка входа" in page.split("<tbody>")[1]
    assert "<code>servicedesk.note_add</code>" in page
    assert ">someone.new_code</option>" in page.replace("\n", "").replace(" ", "")


def test_audit_filter_answers_htmx_with_the_results_only(client, administrator, organisation):
    from kabinet.core.services import audit_record

    audit_record(action="login.failed", data={})
    client.force_login(administrator)
    fragment = client.get(reverse("backoffice:audit"), {"action": "login"}, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert html.lstrip().startswith('<div id="audit-results"')
    assert "login.failed" in html
    assert "<html" not in html


def test_a_brand_colour_too_light_to_read_is_refused(client, administrator, organisation):
    client.force_login(administrator)
    response = client.post(
        reverse("backoffice:organisation"), _organisation_form(primary_colour="#ffdd00")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Слишком светлый цвет: контраст с белым 1,3:1" in page


def test_staff_without_two_factor_authentication_are_sent_to_set_it_up(client, organisation):
    from kabinet.identity import roles
    from kabinet.identity.tests.factories import UserFactory

    newcomer = UserFactory(is_staff=True, roles=(roles.OPERATOR,))
    client.force_login(newcomer)
    response = client.get(reverse("backoffice:home"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_two_factor_can_be_optional_for_a_deployment(client, settings, organisation):
    from kabinet.identity import roles
    from kabinet.identity.tests.factories import UserFactory

    settings.KABINET_STAFF_MFA_REQUIRED = False
    client.force_login(UserFactory(is_staff=True, roles=(roles.OPERATOR,)))
    assert client.get(reverse("backoffice:home")).status_code == 200
