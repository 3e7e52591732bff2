"""The layout's per-person pieces (the switchers, the menu) are cached, and follow every change.

The fragments are keyed by the person's shell version (kabinet.core.shell, bumped by the services
that change memberships, account links and customer names), the switchers' choices, the language,
the display mode and the modules switched on. Each test renders a page once (the fragment is
cached), changes something through its service, and opens the next page.
"""

import pickle

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from kabinet.core.services import module_setting_set
from kabinet.customers.account_services import account_unlink
from kabinet.customers.models import Customer, Membership
from kabinet.customers.services import customer_upsert, membership_remove
from kabinet.customers.tests.factories import CustomerFactory, account, household, member
from kabinet.identity.tests.factories import UserFactory

HELP = "portal:help"


def _page(client, name=HELP) -> str:
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def two_customers(db, organisation):
    """A person who works for two companies; the first one's owner."""
    first = CustomerFactory(name="ООО «Первая сетевая»")
    owner = member(first, Membership.Role.OWNER)
    person = member(first, Membership.Role.MANAGER)
    second = CustomerFactory(name="ООО «Вторая сбытовая»")
    Membership.objects.create(customer=second, user=person, role=Membership.Role.ACCOUNTANT)
    return owner, person, first, second


def test_a_removed_member_no_longer_sees_the_customer(
    client, two_customers, django_capture_on_commit_callbacks
):
    owner, person, first, _second = two_customers
    client.force_login(person)
    assert "ООО «Первая сетевая»" in _page(client)
    # when the owner removes them from the first customer
    with django_capture_on_commit_callbacks(execute=True):
        membership_remove(
            actor=owner, membership=Membership.objects.get(customer=first, user=person)
        )
    # then the next page's switcher shows the second customer only
    html = _page(client)
    assert "ООО «Первая сетевая»" not in html
    assert "ООО «Вторая сбытовая»" in html


def test_a_renamed_customer_shows_the_new_name(
    client, db, organisation, django_capture_on_commit_callbacks
):
    customer, _created = customer_upsert(
        external_id="ERP-1", kind=Customer.Kind.LEGAL_ENTITY, name="ООО «Старое имя»"
    )
    person = UserFactory()
    Membership.objects.create(customer=customer, user=person, role=Membership.Role.OWNER)
    client.force_login(person)
    assert "ООО «Старое имя»" in _page(client)
    with django_capture_on_commit_callbacks(execute=True):
        customer_upsert(
            external_id="ERP-1", kind=Customer.Kind.LEGAL_ENTITY, name="ООО «Новое имя»"
        )
    html = _page(client)
    assert "ООО «Новое имя»" in html
    assert "ООО «Старое имя»" not in html


def test_an_unlinked_account_disappears_from_the_switcher(
    client, db, organisation, django_capture_on_commit_callbacks
):
    customer, owner = household()
    kept = account(customer=customer)
    gone = account(customer=customer)
    client.force_login(owner)
    html = _page(client)
    assert kept.number in html and gone.number in html
    with django_capture_on_commit_callbacks(execute=True):
        account_unlink(actor=owner, customer=customer, account=gone)
    html = _page(client)
    assert kept.number in html
    assert gone.number not in html


def test_a_module_switched_off_leaves_the_menu(
    client, two_customers, django_capture_on_commit_callbacks
):
    _owner, person, _first, _second = two_customers
    client.force_login(person)
    requests = reverse("portal:servicedesk:request_list")
    assert f'href="{requests}"' in _page(client)
    with django_capture_on_commit_callbacks(execute=True):
        module_setting_set(actor=UserFactory(is_staff=True), module="servicedesk", enabled=False)
    assert f'href="{requests}"' not in _page(client)


def test_the_language_switches_the_fragment(client, two_customers):
    _owner, person, _first, _second = two_customers
    client.force_login(person)
    assert "Заявки и обращения" in _page(client)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = _page(client)
    assert "Заявки и обращения" not in html
    assert 'lang="en"' in html


def test_the_visually_impaired_mode_has_its_own_fragment(client, two_customers):
    _owner, person, _first, _second = two_customers
    client.force_login(person)
    plain = client.get(reverse(HELP)).context["shell_key"]
    client.post(reverse("portal:accessibility_set"), {"enabled": "1", "next": "/"})
    response = client.get(reverse(HELP))
    assert str(response.context["shell_key"]) != str(plain)
    assert "ООО «Вторая сбытовая»" in response.content.decode()


def test_no_csrf_token_or_nonce_is_cached(client, two_customers):
    _owner, person, _first, _second = two_customers
    client.force_login(person)
    html = _page(client)
    assert 'id="customer-switch-form"' in html  # the form outside the cache holds the token
    fragments = [
        pickle.loads(value)  # noqa: S301 — our own test cache
        for key, value in cache._cache.items()  # type: ignore[attr-defined]
        if "template.cache" in key
    ]
    assert len(fragments) >= 2  # the switcher and the menu
    for fragment in fragments:
        assert "csrfmiddlewaretoken" not in fragment
        assert "nonce" not in fragment
