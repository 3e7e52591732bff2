"""The page shell (layout, menu, account switcher, unread count, session bookkeeping) is cheap.

Every signed-in page pays the shell before its own work; issue 14 measured 11 queries and a write
transaction on each GET. These tests keep it to a bounded number of reads and no write.
"""

import time

import pytest
from allauth.usersessions.models import UserSession
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kabinet.customers.models import Membership
from kabinet.customers.tests.factories import CustomerFactory, member
from kabinet.identity.middleware import ACTIVITY_SEEN_KEY
from kabinet.identity.models import User
from kabinet.notifications.selectors import notification_unread_count
from kabinet.notifications.services import (
    notification_inapp_create,
    notification_mark_all_read,
    notification_mark_read,
)

WRITES = ("INSERT", "UPDATE", "DELETE", "BEGIN", "SAVEPOINT", "REPLACE")


@pytest.fixture
def busy_member(db, organisation):
    """A person who acts for four customers (an accountant serving several companies)."""
    first = CustomerFactory()
    user = member(first, Membership.Role.OWNER)
    for _ in range(3):
        Membership.objects.create(
            customer=CustomerFactory(), user=user, role=Membership.Role.ACCOUNTANT
        )
    return user


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_the_help_page_costs_the_shell_only(client, busy_member, django_assert_max_num_queries):
    # given a person of four customers, signed in, who has opened a page already
    client.force_login(busy_member)
    client.get(reverse("portal:help"))
    # when they open the static help page, then the shell costs at most 2 queries (session, user):
    # the switchers and the menu come from their cached fragments (kabinet.core.shell)
    with django_assert_max_num_queries(2):
        assert client.get(reverse("portal:help")).status_code == 200


def test_the_dashboard_adds_only_its_own_work(client, busy_member, django_assert_max_num_queries):
    client.force_login(busy_member)
    client.get(reverse("portal:dashboard"))
    with django_assert_max_num_queries(9):
        assert client.get(reverse("portal:dashboard")).status_code == 200


def test_the_shell_is_built_once_per_page_whatever_it_renders(client, busy_member, monkeypatch):
    # given a signed-in person, and a deployment with no organisation row yet (the default
    # organisation, cached like a saved one)
    from kabinet.core import navigation
    from kabinet.core.models import Organisation

    Organisation.objects.all().delete()
    client.force_login(busy_member)
    client.get(reverse("portal:dashboard"))
    built = []
    real = navigation.build_navigation
    monkeypatch.setattr(
        "kabinet.portal.context_processors.build_navigation",
        lambda request, face: built.append(face) or real(request, face),
    )
    # when they open the dashboard, whose tiles render with the request
    sql = _queries(client, reverse("portal:dashboard"))
    # then the menu is not built again (its fragment is cached for this person and page,
    # kabinet.core.shell) and the organisation is never read again
    assert built == []
    assert not [q for q in sql if "core_organisation" in q]


@pytest.mark.parametrize("name", ["portal:help", "portal:dashboard", "portal:notifications:list"])
def test_a_signed_in_get_writes_nothing(client, busy_member, name):
    # given a signed-in person whose session activity was just recorded (the first page)
    client.force_login(busy_member)
    client.get(reverse("portal:help"))
    # when they open pages, then no query writes or opens a write transaction
    for _ in range(2):
        writes = [
            q for q in _queries(client, reverse(name)) if q.lstrip().upper().startswith(WRITES)
        ]
        assert writes == []


def test_session_activity_is_recorded_at_most_once_per_interval(client, busy_member, settings):
    settings.KABINET_SESSION_ACTIVITY_MINUTES = 5
    client.force_login(busy_member)
    client.get(reverse("portal:help"))
    session = UserSession.objects.get(user=busy_member)
    first_seen = session.last_seen_at
    # a second page within the interval does not touch the «Активные сеансы» row
    client.get(reverse("portal:help"))
    session.refresh_from_db()
    assert session.last_seen_at == first_seen
    # once the interval has passed, the next page records the activity again
    stored = client.session
    stored[ACTIVITY_SEEN_KEY] = int(time.time()) - 5 * 60 - 1
    stored.save()
    client.get(reverse("portal:help"))
    session.refresh_from_db()
    assert session.last_seen_at > first_seen


def test_the_bell_count_is_cached_and_follows_every_change(client, busy_member):
    client.force_login(busy_member)
    notification_inapp_create(user=busy_member, event="test", title="Первое")
    assert notifications_unread(client) == 1
    # cached: no count query on the next page
    assert not any(
        "notifications_notification" in q for q in _queries(client, reverse("portal:help"))
    )
    # a new notification shows at once
    second = notification_inapp_create(user=busy_member, event="test", title="Второе")
    assert notifications_unread(client) == 2
    notification_mark_read(actor=busy_member, notification=second)
    assert notifications_unread(client) == 1
    notification_mark_all_read(actor=busy_member)
    assert notifications_unread(client) == 0


def notifications_unread(client) -> int:
    """The number the bell shows on the next page."""
    client.get(reverse("portal:help"))
    return notification_unread_count(User.objects.get(pk=client.session["_auth_user_id"]))
