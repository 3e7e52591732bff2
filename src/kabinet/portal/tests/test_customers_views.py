"""Customer pages: who may do what, cross-customer 404s, forced steps after login."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kabinet.customers import services
from kabinet.customers.models import ConnectionApplication, EmailDomain, Invitation, Membership
from kabinet.customers.tests.factories import CustomerFactory, member, valid_inn10
from kabinet.identity.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
Role = Membership.Role


def with_captcha(client, data: dict) -> dict:
    """`data` plus the solved CAPTCHA of a freshly opened connection form (one per submit)."""
    import re

    from captcha.models import CaptchaStore

    page = client.get(reverse("portal:connection_apply")).content.decode()
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', page).group(1)
    return {**data, "captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


@pytest.fixture
def two_companies(organisation):
    """Two customers, each with an owner, a viewer, an invitation and a domain."""
    result = {}
    for key in ("mine", "theirs"):
        company = CustomerFactory()
        owner = member(company, Role.OWNER)
        viewer = member(company, Role.VIEWER)
        invitation, _ = services.membership_invite(
            actor=owner, customer=company, email=f"inv-{key}@example.ru", role=Role.VIEWER
        )
        domain = EmailDomain.objects.create(customer=company, domain=f"{key}.example")
        result[key] = {
            "company": company,
            "owner": owner,
            "viewer": viewer,
            "viewer_membership": Membership.objects.get(user=viewer),
            "invitation": invitation,
            "domain": domain,
        }
    return result


def object_urls(c: dict) -> list[tuple[str, str]]:
    cid, mid = c["company"].public_id, c["viewer_membership"].public_id
    return [
        ("get", reverse("portal:customer_detail", args=[cid])),
        ("get", reverse("portal:customer_members", args=[cid])),
        ("post", reverse("portal:customer_members", args=[cid])),
        ("post", reverse("portal:membership_role", args=[cid, mid])),
        ("post", reverse("portal:membership_remove", args=[cid, mid])),
        ("post", reverse("portal:invitation_revoke", args=[cid, c["invitation"].public_id])),
        ("get", reverse("portal:customer_domains", args=[cid])),
        ("post", reverse("portal:customer_domains", args=[cid])),
        ("post", reverse("portal:domain_bind", args=[cid])),
    ]


def test_an_owner_of_one_customer_gets_404_on_every_object_of_another(client, two_companies):
    client.force_login(two_companies["mine"]["owner"])
    for method, url in object_urls(two_companies["theirs"]):
        response = getattr(client, method)(url, {"role": "owner", "invite-email": "x@example.ru"})
        assert response.status_code == 404, f"{method} {url}"
    # nor can their membership be reached through my own customer's URL
    mine, theirs = two_companies["mine"], two_companies["theirs"]
    url = reverse(
        "portal:membership_role",
        args=[mine["company"].public_id, theirs["viewer_membership"].public_id],
    )
    assert client.post(url, {"role": "owner"}).status_code == 404
    assert (
        client.post(
            reverse("portal:customer_switch"), {"customer": theirs["company"].public_id}
        ).status_code
        == 404
    )
    theirs["viewer_membership"].refresh_from_db()
    assert theirs["viewer_membership"].role == Role.VIEWER


def test_a_viewer_cannot_change_roles_and_sees_no_role_controls(client, two_companies):
    # given a viewer of my company on its members page
    mine, theirs = two_companies["mine"], two_companies["theirs"]
    owner_membership = Membership.objects.get(user=mine["owner"])
    client.force_login(mine["viewer"])
    page = client.get(reverse("portal:customer_members", args=[mine["company"].public_id]))
    assert page.status_code == 200
    assert "Изменить роль" not in page.content.decode()
    assert "Пригласить сотрудника" not in page.content.decode()
    # when the viewer posts a role change anyway, a well-formed one or not (no role, a made-up
    # role, the field without the form's prefix), then it is forbidden (403), not a bad form (400)
    url = reverse(
        "portal:membership_role", args=[mine["company"].public_id, owner_membership.public_id]
    )
    prefix = f"m-{owner_membership.public_id}-role"
    for data in ({prefix: "viewer"}, {}, {prefix: "boss"}, {"role": "viewer"}):
        assert client.post(url, data).status_code == 403, data
    owner_membership.refresh_from_db()
    assert owner_membership.role == Role.OWNER
    # and another customer's membership still answers 404, through their URL or through mine
    their_vm = theirs["viewer_membership"]
    for customer in (theirs["company"], mine["company"]):
        response = client.post(
            reverse("portal:membership_role", args=[customer.public_id, their_vm.public_id]),
            {f"m-{their_vm.public_id}-role": "owner"},
        )
        assert response.status_code == 404
    their_vm.refresh_from_db()
    assert their_vm.role == Role.VIEWER


def test_a_viewer_or_accountant_cannot_invite_whatever_the_form_holds(client, two_companies):
    # given a viewer and an accountant of my company (owners and managers invite)
    mine = two_companies["mine"]
    url = reverse("portal:customer_members", args=[mine["company"].public_id])
    for person in (mine["viewer"], member(mine["company"], Role.ACCOUNTANT)):
        client.force_login(person)
        # when they post an invitation, valid or not, then it is forbidden (403), not a bad form
        for data in ({"invite-email": "kollega@example.ru", "invite-role": "viewer"}, {}):
            assert client.post(url, data).status_code == 403, (person, data)
    # and nobody was invited
    assert not Invitation.objects.filter(email="kollega@example.ru").exists()


def test_a_manager_may_invite_but_not_change_roles(client, two_companies):
    # given a manager of my company (managers invite colleagues, only owners change roles)
    mine = two_companies["mine"]
    manager = member(mine["company"], Role.MANAGER)
    vm = mine["viewer_membership"]
    client.force_login(manager)
    # when the manager posts a role change, with or without a valid role
    url = reverse("portal:membership_role", args=[mine["company"].public_id, vm.public_id])
    for data in ({f"m-{vm.public_id}-role": "accountant"}, {}):
        # then it is forbidden and the role stays
        assert client.post(url, data).status_code == 403, data
    vm.refresh_from_db()
    assert vm.role == Role.VIEWER


def test_the_owner_gets_the_form_error_for_a_role_that_does_not_exist(client, two_companies):
    # given the owner, who may change roles
    mine = two_companies["mine"]
    vm = mine["viewer_membership"]
    client.force_login(mine["owner"])
    # when a made-up role is posted, then the members page says so (a bad form: 400)
    response = client.post(
        reverse("portal:membership_role", args=[mine["company"].public_id, vm.public_id]),
        {f"m-{vm.public_id}-role": "boss"},
    )
    assert response.status_code == 400
    assert "Выберите роль." in response.content.decode()
    vm.refresh_from_db()
    assert vm.role == Role.VIEWER


def test_the_owner_changes_a_role_from_the_members_page(client, two_companies):
    mine = two_companies["mine"]
    vm = mine["viewer_membership"]
    client.force_login(mine["owner"])
    response = client.post(
        reverse("portal:membership_role", args=[mine["company"].public_id, vm.public_id]),
        {f"m-{vm.public_id}-role": "accountant"},
    )
    assert response.status_code == 302
    vm.refresh_from_db()
    assert vm.role == Role.ACCOUNTANT


def test_the_organisation_page_counts_members_in_russian(client, two_companies):
    # given a company of an owner and a viewer
    mine = two_companies["mine"]
    client.force_login(mine["owner"])
    # when the owner opens the organisation page
    page = client.get(reverse("portal:customer_detail", args=[mine["company"].public_id]))
    # then two people are «2 человека», not «2 человек»
    assert "2 человека" in page.content.decode()


def test_a_free_mail_domain_claim_answers_400_with_the_reason(client, two_companies):
    mine = two_companies["mine"]
    client.force_login(mine["owner"])
    response = client.post(
        reverse("portal:customer_domains", args=[mine["company"].public_id]),
        {"domain": "gmail.com"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Домен бесплатной почты (gmail.com) нельзя закрепить" in page
    assert 'value="gmail.com"' in page


def test_the_switcher_shows_customers_and_switches_without_js(client, two_companies):
    user = two_companies["mine"]["owner"]
    theirs = two_companies["theirs"]["company"]
    Membership.objects.create(user=user, customer=theirs, role=Role.VIEWER)
    client.force_login(user)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert 'name="customer"' in page and theirs.name in page
    client.post(reverse("portal:customer_switch"), {"customer": theirs.public_id, "next": "/"})
    page = client.get(reverse("portal:organisation")).content.decode()
    assert f'<h1 class="page-title">{theirs.name}</h1>' in page


def test_customer_type_page_registers_a_legal_entity_and_explains_errors(
    client, customer, organisation, settings
):
    settings.KABINET_SIGNUP_FLOWS = ("email", "customer_type")
    client.force_login(customer)
    url = reverse("portal:customer_type") + "?kind=legal_entity"
    bad = client.post(
        url,
        {
            "kind": "legal_entity",
            "name": "ООО «Ромашка»",
            "inn": "7707083894",
            "kpp": "770701001",
            "ogrn": "1027700132195",
        },
    )
    assert bad.status_code == 400
    assert "Неверное контрольное число ИНН" in bad.content.decode()
    assert 'value="ООО «Ромашка»"' in bad.content.decode()
    ok = client.post(
        url,
        {
            "kind": "legal_entity",
            "name": "ООО «Ромашка»",
            "inn": "7707083893",
            "kpp": "770701001",
            "ogrn": "1027700132195",
        },
    )
    assert ok.status_code == 302
    assert Membership.objects.get(user=customer).customer.inn == "7707083893"


def test_customer_type_page_offers_the_phone_as_people_write_it(
    client, customer, organisation, settings
):
    # given a new customer who gave a phone at the signup (seed 003, рис. 6)
    settings.KABINET_SIGNUP_FLOWS = ("email", "customer_type")
    customer.phone = "+79031112233"
    customer.save()
    client.force_login(customer)
    # when the «Продолжение регистрации» page opens
    page = client.get(reverse("portal:customer_type")).content.decode()
    # then the phone is filled in as +7 (903) 111-22-33, like the hint below it
    assert 'value="+7\xa0(903)\xa0111-22-33"' in page


def test_customer_type_page_is_absent_where_the_flow_is_off(
    client, customer, organisation, settings
):
    settings.KABINET_SIGNUP_FLOWS = ("email",)
    client.force_login(customer)
    assert client.get(reverse("portal:customer_type")).status_code == 404


def test_after_the_login_a_user_without_customer_is_led_to_the_customer_type(
    client, customer, organisation, settings
):
    settings.KABINET_SIGNUP_FLOWS = ("email", "customer_type")
    client.post(reverse("account_login"), {"login": customer.email, "password": PASSWORD})
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302 and response.url == reverse("portal:customer_type")


def test_a_user_who_must_change_the_password_is_sent_to_the_change_page(
    client, customer, organisation
):
    customer.must_change_password = True
    customer.save()
    client.force_login(customer)
    # when they open any page, they are sent to the change page, told why
    response = client.get(reverse("portal:profile"))
    change = reverse("account_change_password")
    assert response.url == change + "?next=" + reverse("portal:profile").replace("/", "%2F")
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Вы вошли с начальным паролем" in page.content.decode()
    # and once the password is changed, they land on the page they were going to
    done = client.post(
        response.url,
        {
            "oldpassword": PASSWORD,
            "password1": "Novyi-Parol-2026",
            "password2": "Novyi-Parol-2026",
            "next": reverse("portal:profile"),
        },
    )
    assert done.url == reverse("portal:profile")
    customer.refresh_from_db()
    assert not customer.must_change_password
    assert client.get(reverse("portal:profile")).status_code == 200


def test_an_invited_person_sets_a_password_and_lands_in_the_company(client, two_companies):
    mine = two_companies["mine"]
    _, token = services.membership_invite(
        actor=mine["owner"],
        customer=mine["company"],
        email="new.colleague@example.ru",
        role=Role.MANAGER,
    )
    url = reverse("portal:invitation_accept", args=[token])
    short = client.post(
        url, {"last_name": "Новиков", "first_name": "Пётр", "password1": "123", "password2": "123"}
    )
    assert short.status_code == 400 and 'value="Новиков"' in short.content.decode()
    ok = client.post(
        url,
        {
            "last_name": "Новиков",
            "first_name": "Пётр",
            "password1": "Kollega-2026!",
            "password2": "Kollega-2026!",
        },
    )
    assert ok.status_code == 302
    assert Membership.objects.get(user__email="new.colleague@example.ru").role == Role.MANAGER
    page = client.get(reverse("portal:members")).content.decode()
    assert "new.colleague@example.ru" in page and mine["company"].name in page
    # the used link now says so and leads to the login, naming nobody
    client.logout()
    used = client.get(url)
    page = used.content.decode()
    assert used.status_code == 410 and "Приглашение уже принято — войдите" in page
    assert reverse("account_login") in page
    assert mine["company"].name not in page and "new.colleague@example.ru" not in page


def test_the_invitation_form_shows_every_password_problem_at_once(client, two_companies):
    mine = two_companies["mine"]
    _, token = services.membership_invite(
        actor=mine["owner"], customer=mine["company"], email="two@example.ru", role=Role.VIEWER
    )
    url = reverse("portal:invitation_accept", args=[token])
    # when the password is too short AND the second one differs
    response = client.post(
        url, {"last_name": "Новиков", "first_name": "Пётр", "password1": "123", "password2": "124"}
    )
    page = response.content.decode()
    # then both are said on the first submit, each tied to its field
    assert response.status_code == 400
    assert "Пароли не совпадают." in page
    assert 'id="id_password1_error"' in page and 'id="id_password2_error"' in page
    assert 'value="Новиков"' in page
    assert not Membership.objects.filter(user__email="two@example.ru").exists()


@pytest.mark.parametrize("state", ["revoked", "expired"])
def test_a_revoked_or_expired_invitation_says_to_ask_the_colleague(client, two_companies, state):
    from django.utils import timezone

    mine = two_companies["mine"]
    _, token = services.membership_invite(
        actor=mine["owner"], customer=mine["company"], email="late@example.ru", role=Role.VIEWER
    )
    # given the invitation was revoked or ran out
    invitation = Invitation.objects.get(email="late@example.ru")
    if state == "revoked":
        services.invitation_revoke(actor=mine["owner"], invitation=invitation)
    else:
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    # when the link is opened (or its form sent)
    url = reverse("portal:invitation_accept", args=[token])
    for response in (client.get(url), client.post(url, {"password1": "x", "password2": "x"})):
        page = response.content.decode()
        # then the page says it no longer works and whom to ask, and nothing is accepted
        assert response.status_code == 410
        assert "Приглашение больше не действует" in page
        assert "Попросите коллегу, который вас пригласил" in page
        assert ("отозвано" in page) is (state == "revoked")
        assert mine["company"].name not in page and "late@example.ru" not in page
    assert not Membership.objects.filter(user__email="late@example.ru").exists()


def test_a_made_up_invitation_token_is_404(client, organisation):
    url = reverse("portal:invitation_accept", args=["made-up-token-1234567890"])
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404


def test_connection_application_from_the_public_form_to_the_staff_queue(
    client, organisation, operator, settings
):
    settings.KABINET_SIGNUP_FLOWS = ("connection",)
    login_page = client.get(reverse("account_login")).content.decode()
    assert reverse("portal:connection_apply") in login_page
    data = {
        "company_name": "ООО «Прокат-Сервис»",
        "inn": valid_inn10(),
        "kpp": "770701001",
        "last_name": "Кузнецова",
        "first_name": "Ольга",
        "patronymic": "",
        "phone": "8 916 123-00-00",
        "email": "olga@prokat.example",
        "contract_number": "Д-1",
        "delivery": "paper",
        "power_of_attorney": SimpleUploadedFile("dov.pdf", b"%PDF-1.4 test"),
    }
    response = client.post(reverse("portal:connection_apply"), with_captcha(client, data))
    assert response.status_code == 302
    application = ConnectionApplication.objects.get()
    assert application.phone == "+79161230000"
    # the document is reachable only by staff with the permission
    url = reverse("backoffice:application_document", args=[application.public_id])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(operator)
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 test"
    assert "attachment" in download["Content-Disposition"]
    # approval shows the printable letter with a one-time password
    letter = client.post(
        reverse("backoffice:application_detail", args=[application.public_id]),
        {"action": "approve"},
    )
    assert letter.status_code == 200 and "Начальный пароль" in letter.content.decode()
    assert letter["Cache-Control"] == "no-store"


@pytest.mark.parametrize("with_file", [True, False])
def test_connection_form_says_a_chosen_power_of_attorney_must_be_chosen_again(
    client, organisation, settings, with_file
):
    import re

    settings.KABINET_SIGNUP_FLOWS = ("connection",)
    # given an application with a wrong ИНН, with or without a power of attorney chosen
    data = {
        "company_name": "ООО «Прокат-Сервис»",
        "inn": "1234567890",
        "kpp": "770701001",
        "last_name": "Кузнецова",
        "first_name": "Ольга",
        "phone": "8 916 123-00-00",
        "email": "olga@prokat.example",
        "contract_number": "Д-1",
        "delivery": "paper",
    }
    if with_file:
        data["power_of_attorney"] = SimpleUploadedFile("dov.pdf", b"%PDF-1.4 test")
    # when it is sent
    response = client.post(reverse("portal:connection_apply"), with_captcha(client, data))
    page = response.content.decode()
    assert response.status_code == 400
    # then, if a file had been chosen, the page says it was not kept, tied to the file input
    note = "Файл не сохранён: выберите его ещё раз."
    assert (note in page) is with_file
    file_input = re.search(r'<input[^>]*name="power_of_attorney"[^>]*>', page).group(0)
    assert ("id_power_of_attorney_notkept" in file_input) is with_file
    if with_file:
        assert 'id="id_power_of_attorney_notkept"' in page
    # and the rest of the input is kept
    assert "olga@prokat.example" in page


def test_connection_form_asks_for_the_personal_data_consent_and_keeps_the_input(
    client, organisation, settings
):
    import datetime as dt

    from kabinet.core.services import legal_document_publish

    settings.KABINET_SIGNUP_FLOWS = ("connection",)
    # given a published consent text
    text = legal_document_publish(
        actor=None,
        kind="pd_consent",
        title="Согласие на обработку ПДн",
        body="…",
        effective_from=dt.date(2026, 1, 1),
    )
    # the blank shows the checkbox with a link to that exact version
    blank = client.get(reverse("portal:connection_apply")).content.decode()
    assert 'name="consent_pd"' in blank
    assert reverse("portal:legal_document_version", args=["pd_consent", text.version]) in blank
    data = {
        "company_name": "ООО «Прокат-Сервис»",
        "inn": valid_inn10(),
        "kpp": "770701001",
        "last_name": "Кузнецова",
        "first_name": "Ольга",
        "phone": "8 916 123-00-00",
        "email": "olga@prokat.example",
        "contract_number": "Д-1",
        "delivery": "paper",
        "power_of_attorney": SimpleUploadedFile("dov.pdf", b"%PDF-1.4 test"),
    }
    # when it is sent without the tick
    response = client.post(reverse("portal:connection_apply"), with_captcha(client, data))
    page = response.content.decode()
    # then it is refused with a clear message tied to the checkbox, the input kept, the file asked again
    assert response.status_code == 400 and not ConnectionApplication.objects.exists()
    assert "Без согласия на обработку персональных данных заявку отправить нельзя" in page
    assert 'id="id_consent_pd_error"' in page
    assert "olga@prokat.example" in page and "Д-1" in page
    assert "Файл не сохранён: выберите его ещё раз." in page
    # when it is ticked, the application keeps the consent with where it came from
    data["power_of_attorney"] = SimpleUploadedFile("dov.pdf", b"%PDF-1.4 test")
    done = client.post(
        reverse("portal:connection_apply"),
        with_captcha(client, {**data, "consent_pd": "on"}),
        HTTP_USER_AGENT="Firefox/140",
    )
    assert done.status_code == 302
    application = ConnectionApplication.objects.get()
    assert application.consent_document == text and application.consent_user_agent == "Firefox/140"


@pytest.mark.parametrize("delivery", ["paper", "email"])
def test_the_done_page_gives_the_application_number_and_what_happens_next(
    client, organisation, settings, delivery, django_capture_on_commit_callbacks
):
    from django.core import mail
    from django.test import Client

    settings.KABINET_SIGNUP_FLOWS = ("connection",)
    data = {
        "company_name": "ООО «Прокат-Сервис»",
        "inn": valid_inn10(),
        "kpp": "770701001",
        "last_name": "Кузнецова",
        "first_name": "Ольга",
        "phone": "8 916 123-00-00",
        "email": "olga@prokat.example",
        "contract_number": "Д-1",
        "delivery": delivery,
    }
    # when an application is sent
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            reverse("portal:connection_apply"), with_captcha(client, data), follow=True
        )
    page = sent.content.decode()
    application = ConnectionApplication.objects.get()
    # then the done page names its number, the address told and how the answer comes
    assert f"Номер заявки: {application.number}" in page
    assert len(application.number) == 9 and application.number[4] == "-"
    assert "olga@prokat.example" in page and "1–2 рабочих дня" in page
    assert ("бумажном носителе по почте" in page) is (delivery == "paper")
    assert ("ссылка, чтобы задать пароль" in page) is (delivery == "email")
    # the confirmation letter carries the same number, and the staff page shows it
    assert f"Номер заявки: {application.number}." in mail.outbox[-1].body
    # another browser opening the done page learns no number
    assert (
        application.number
        not in Client().get(reverse("portal:connection_applied")).content.decode()
    )


def test_connection_form_is_absent_where_the_flow_is_off(client, organisation, settings):
    settings.KABINET_SIGNUP_FLOWS = ("email",)
    assert client.get(reverse("portal:connection_apply")).status_code == 404
    assert (
        reverse("portal:connection_apply")
        not in client.get(reverse("account_login")).content.decode()
    )


# --- the public connection form against robots and oversized bodies (issue 10, item 11) ----------


def _application(**overrides) -> dict:
    return {
        "company_name": "ООО «Прокат-Сервис»",
        "inn": valid_inn10(),
        "kpp": "770701001",
        "last_name": "Кузнецова",
        "first_name": "Ольга",
        "phone": "8 916 123-00-00",
        "email": "olga@prokat.example",
        "contract_number": "Д-1",
        "delivery": "email",
        **overrides,
    }


def test_connection_form_asks_for_the_captcha_and_keeps_the_input(client, organisation, settings):
    settings.KABINET_SIGNUP_FLOWS = ("connection",)
    # given the public form shows a CAPTCHA picture
    blank = client.get(reverse("portal:connection_apply")).content.decode()
    assert 'name="captcha_1"' in blank and "Обновить картинку" in blank
    # when a robot sends the application with the picture's text wrong
    data = with_captcha(client, _application())
    response = client.post(reverse("portal:connection_apply"), {**data, "captcha_1": "wrong"})
    # then nothing is filed or mailed, the message says why and the input is kept
    page = response.content.decode()
    assert response.status_code == 400 and not ConnectionApplication.objects.exists()
    assert "Текст с картинки введён неверно" in page
    assert "olga@prokat.example" in page


def test_connection_form_refreshes_the_picture_without_javascript(client, organisation, settings):
    settings.KABINET_SIGNUP_FLOWS = ("connection",)
    data = with_captcha(client, _application())
    # when «Обновить картинку» is pressed (a plain submit)
    response = client.post(reverse("portal:connection_apply"), {**data, "captcha_refresh": "1"})
    page = response.content.decode()
    # then the form comes back with what was typed, a new picture and no error
    assert response.status_code == 200 and not ConnectionApplication.objects.exists()
    assert "olga@prokat.example" in page and data["captcha_0"] not in page
    assert "is-invalid" not in page


def test_connection_applications_are_limited_per_address_and_per_email(
    client, organisation, settings
):
    settings.KABINET_SIGNUP_FLOWS = ("connection",)
    # given a limit of three submits per address and one per email an hour (allauth's limiter:
    # a submit refused by the email's limit still counts against the address)
    settings.ACCOUNT_RATE_LIMITS = {"connection_apply": "3/h/ip,1/h/key"}
    url = reverse("portal:connection_apply")
    first = client.post(url, with_captcha(client, _application()))
    assert first.status_code == 302
    # when the same email applies again
    again = client.post(url, with_captcha(client, _application(company_name="ООО «Другое»")))
    # then it is refused in words, the input kept, nothing filed
    page = again.content.decode()
    assert again.status_code == 429
    assert "Слишком много заявок" in page and "ООО «Другое»" in page
    assert ConnectionApplication.objects.count() == 1
    # another email from the address is still taken, the next is over the address's limit
    other = client.post(url, with_captcha(client, _application(email="b@prokat.example")))
    assert other.status_code == 302
    third = client.post(url, with_captcha(client, _application(email="c@prokat.example")))
    assert third.status_code == 429
    assert ConnectionApplication.objects.count() == 2


def test_the_receipt_mail_does_not_repeat_what_the_applicant_typed(
    client, organisation, settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    settings.KABINET_SIGNUP_FLOWS = ("connection",)
    # given an "application" whose company name is an advert, sent to somebody else's address
    advert = "Выигрыш 100000 руб. забрать на http://prize.example"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("portal:connection_apply"),
            with_captcha(client, _application(company_name=advert, email="victim@example.ru")),
        )
    # then the receipt confirms the application by its number, never echoing the free text
    message = mail.outbox[-1]
    application = ConnectionApplication.objects.get()
    assert message.to == ["victim@example.ru"]
    assert f"Номер заявки: {application.number}." in message.body
    assert "prize.example" not in message.body and "Выигрыш" not in message.body
    assert "prize.example" not in message.subject


def test_an_oversized_connection_upload_is_refused_before_the_body_is_read(
    client, organisation, settings
):
    from unittest import mock

    settings.KABINET_SIGNUP_FLOWS = ("connection",)
    settings.KABINET_DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
    data = with_captcha(client, _application())
    data["power_of_attorney"] = SimpleUploadedFile("dov.pdf", b"%PDF-1.4 test")
    # when the request announces a body far larger than the document limit allows
    with mock.patch(
        "django.http.request.MultiPartParser", side_effect=AssertionError("the body was parsed")
    ):
        response = client.post(
            reverse("portal:connection_apply"), data, CONTENT_LENGTH=str(40 * 1024 * 1024)
        )
    # then it is refused with a Russian message before any of it is parsed or stored
    page = response.content.decode()
    assert response.status_code == 413
    assert "Слишком большой объём файлов" in page and "не более 5 МБ" in page
    assert reverse("portal:connection_apply") in page
    assert not ConnectionApplication.objects.exists()


def test_every_multipart_post_has_a_body_limit(client, customer, organisation, settings):
    from unittest import mock

    # given the deployment's cap for any upload form (the portal's request forms included)
    settings.KABINET_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    client.force_login(customer)
    with mock.patch(
        "django.http.request.MultiPartParser", side_effect=AssertionError("the body was parsed")
    ):
        response = client.post(
            reverse("portal:profile"),
            {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")},
            CONTENT_LENGTH=str(11 * 1024 * 1024),
        )
    assert response.status_code == 413
    assert "не более 10 МБ" in response.content.decode()


def test_an_unconfirmed_organisation_says_so_and_invites_nobody(client, organisation):
    # given the owner of a company they registered themselves, not yet confirmed by staff
    company = CustomerFactory(confirmed=False)
    owner = member(company, Role.OWNER)
    client.force_login(owner)
    url = reverse("portal:customer_members", args=[company.public_id])
    # when they open the members page
    page = client.get(url).content.decode()
    # then it says the organisation awaits confirmation and offers no invitation form
    assert "Организация ещё не подтверждена" in page
    assert "Отправить приглашение" not in page
    # and an invitation sent anyway is refused in words, nothing is sent
    response = client.post(url, {"invite-email": "friend@example.ru", "invite-role": "manager"})
    assert response.status_code == 400
    assert "ещё не подтверждена" in response.content.decode()
    assert not Invitation.objects.exists()
    # once staff confirm it, the form is there
    company.confirmed = True
    company.save()
    assert "Отправить приглашение" in client.get(url).content.decode()


def test_the_application_form_can_be_downloaded_as_a_paper_blank(client, organisation, settings):
    from kabinet.billing.tests.pdf import pdf_text

    settings.KABINET_SIGNUP_FLOWS = ("connection",)
    # given the public connection page
    page = client.get(reverse("portal:connection_apply")).content.decode()
    blank_url = reverse("portal:connection_blank")
    # then it offers «Скачать бланк заявителя»
    assert blank_url in page and "Скачать бланк заявителя" in page
    # and the blank is a PDF addressed to the organisation with the fields the online form asks
    response = client.get(blank_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "Заявка на подключение юридического лица" in text
    assert organisation.name in text
    for field in ("ИНН", "КПП", "уполномоченного представителя", "Номер договора", "доверенность"):
        assert field in text


def test_without_the_connection_flow_there_is_no_blank(client, organisation, settings):
    settings.KABINET_SIGNUP_FLOWS = ("email",)
    assert client.get(reverse("portal:connection_blank")).status_code == 404


def test_the_blank_is_rendered_once_however_often_it_is_asked_for(
    client, organisation, settings, monkeypatch
):
    from kabinet.portal.customers import views

    settings.KABINET_SIGNUP_FLOWS = ("connection",)
    renders = []
    real = views.render_pdf
    monkeypatch.setattr(views, "render_pdf", lambda html: renders.append(1) or real(html))
    # given a public URL a stranger may call in a loop
    first = client.get(reverse("portal:connection_blank"))
    second = client.get(reverse("portal:connection_blank"))
    # then the PDF is made once and served the same
    assert renders == [1]
    assert first.content == second.content
