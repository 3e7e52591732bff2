"""The bell and the notifications list: counts, marking read (plain and htmx), another person's
notification answers 404, the module switch, a constant number of queries."""

import pytest
from django.urls import reverse

from kabinet.notifications.models import Notification

pytestmark = pytest.mark.django_db

LIST = "/notifications/"


def _notify(user, n=1, **extra):
    return [
        Notification.objects.create(
            user=user, event="tests.event", title=f"Счёт за май №{i}", url="/help/", **extra
        )
        for i in range(n)
    ]


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer)
    return client


def test_the_bell_says_how_many_are_unread(signed_in, customer, organisation):
    # given three unread notifications and one read one
    _notify(customer, 3)
    _notify(customer, 1, read_at="2026-05-01T10:00:00+03:00")
    # when any portal page is opened, the bell names the unread count for screen readers
    page = signed_in.get(reverse("portal:dashboard")).content.decode()
    assert 'aria-label="Уведомления, непрочитанных: 3"' in page
    assert f'href="{LIST}"' in page


def test_without_unread_ones_the_bell_says_so(signed_in, organisation):
    page = signed_in.get(reverse("portal:dashboard")).content.decode()
    assert 'aria-label="Уведомления, непрочитанных нет"' in page


def test_the_list_shows_only_my_notifications(signed_in, customer, other_customer, organisation):
    _notify(customer, 2)
    Notification.objects.create(user=other_customer, event="e", title="Чужое уведомление")
    page = signed_in.get(LIST).content.decode()
    assert page.count("notification-item") == 2
    assert "Чужое уведомление" not in page


def test_the_list_keeps_a_constant_number_of_queries(
    signed_in, customer, organisation, django_assert_max_num_queries
):
    _notify(customer, 3)
    with django_assert_max_num_queries(18) as few:
        signed_in.get(LIST)
    _notify(customer, 40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = signed_in.get(LIST)
    assert response.content.decode().count("notification-item") == 20  # one page


def test_marking_one_read_with_a_plain_form(signed_in, customer, organisation):
    first, second = _notify(customer, 2)
    response = signed_in.post(reverse("portal:notifications:read", args=[first.public_id]))
    assert response.status_code == 302 and response["Location"] == LIST
    first.refresh_from_db(), second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None


def test_marking_one_read_over_htmx_returns_the_item_and_the_bell(
    signed_in, customer, organisation
):
    first, _ = _notify(customer, 2)
    response = signed_in.post(
        reverse("portal:notifications:read", args=[first.public_id]), headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert f'id="notification-{first.public_id}"' in body
    assert 'hx-swap-oob="true"' in body and "непрочитанных: 1" in body
    assert "<html" not in body


def test_marking_all_read_plain_and_htmx(signed_in, customer, organisation):
    _notify(customer, 3)
    response = signed_in.post(reverse("portal:notifications:read_all"), follow=True)
    assert "Все уведомления отмечены как прочитанные." in response.content.decode()
    assert not Notification.objects.filter(user=customer, read_at=None).exists()
    _notify(customer, 2)
    body = signed_in.post(
        reverse("portal:notifications:read_all"), headers={"HX-Request": "true"}
    ).content.decode()
    assert 'id="notification-results"' in body and "непрочитанных нет" in body
    assert not Notification.objects.filter(user=customer, read_at=None).exists()


def test_opening_a_notification_marks_it_read_and_follows_its_link(
    signed_in, customer, organisation
):
    (notification,) = _notify(customer)
    response = signed_in.get(reverse("portal:notifications:open", args=[notification.public_id]))
    assert response.status_code == 302 and response["Location"] == "/help/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_an_outside_link_is_never_followed(signed_in, customer, organisation):
    (notification,) = _notify(customer)
    Notification.objects.filter(pk=notification.pk).update(url="//evil.example/")
    response = signed_in.get(reverse("portal:notifications:open", args=[notification.public_id]))
    assert response["Location"] == LIST


def test_another_person_s_notification_is_not_found(signed_in, other_customer, organisation):
    (theirs,) = _notify(other_customer)
    for name, method in (("open", "get"), ("read", "post")):
        url = reverse(f"portal:notifications:{name}", args=[theirs.public_id])
        assert getattr(signed_in, method)(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(LIST).status_code == 302


def test_a_deployment_without_the_module_has_no_bell_and_no_pages(
    signed_in, customer, organisation, settings
):
    settings.KABINET_MODULES = ("servicedesk",)
    (notification,) = _notify(customer)
    assert signed_in.get(LIST).status_code == 404
    url = reverse("portal:notifications:read", args=[notification.public_id])
    assert signed_in.post(url).status_code == 404
    page = signed_in.get(reverse("portal:dashboard")).content.decode()
    assert "notifications-bell" not in page
