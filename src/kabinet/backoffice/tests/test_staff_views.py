"""«Роли сотрудников» and «Нагрузка по заявкам»: roles as groups with their permissions, assigned by
an administrator only (audited, never the last administrator away); supervisors see the team's
open requests per operator, overdue first."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kabinet.core.models import AuditEvent
from kabinet.customers.tests.factories import household
from kabinet.identity import roles
from kabinet.identity.tests.factories import UserFactory, enable_totp
from kabinet.servicedesk.models import Request
from kabinet.servicedesk.tests.factories import support_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(db):
    user = UserFactory(is_staff=True, roles=(roles.SUPERVISOR,), last_name="Руководова")
    enable_totp(user)
    return user


def _roles_of(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_the_roles_page_lists_roles_with_their_permissions_and_the_staff(client, supervisor):
    client.force_login(supervisor)
    page = client.get(reverse("backoffice:staff_roles")).content.decode()
    assert "Администратор" in page and "Оператор" in page
    assert "Загружать счета, лицевые счета и приборы из файлов" in page  # an administrator's right
    assert "Руководова" in page
    # a supervisor reads, but has no form to assign
    assert 'name="roles"' not in page


def test_an_administrator_assigns_roles_and_it_is_audited(client, administrator, operator):
    client.force_login(administrator)
    response = client.post(
        reverse("backoffice:staff_roles_edit", args=[operator.public_id]),
        {"roles": [roles.OPERATOR, roles.SUPERVISOR]},
    )
    assert response.status_code == 302
    assert _roles_of(operator) == {roles.OPERATOR, roles.SUPERVISOR}
    event = AuditEvent.objects.get(action="staff.roles_changed", subject_user=operator)
    assert event.actor == administrator
    assert event.data == {"before": ["operator"], "after": ["operator", "supervisor"]}


def test_the_last_administrator_cannot_lose_the_role(client, administrator):
    client.force_login(administrator)
    client.post(
        reverse("backoffice:staff_roles_edit", args=[administrator.public_id]),
        {"roles": [roles.OPERATOR]},
    )
    assert roles.ADMINISTRATOR in _roles_of(administrator)
    page = client.get(reverse("backoffice:staff_roles")).content.decode()
    assert "Это последний администратор" in page


def test_a_supervisor_cannot_assign_roles(client, supervisor, operator):
    client.force_login(supervisor)
    response = client.post(
        reverse("backoffice:staff_roles_edit", args=[operator.public_id]),
        {"roles": [roles.ADMINISTRATOR]},
    )
    assert response.status_code == 403
    assert _roles_of(operator) == {roles.OPERATOR}


def test_a_customer_is_no_staff_member_to_give_roles(client, administrator, customer):
    client.force_login(administrator)
    response = client.post(
        reverse("backoffice:staff_roles_edit", args=[customer.public_id]),
        {"roles": [roles.ADMINISTRATOR]},
    )
    assert response.status_code == 404


def test_an_operator_reaches_neither_page(client, operator):
    client.force_login(operator)
    assert client.get(reverse("backoffice:staff_roles")).status_code == 403
    assert client.get(reverse("backoffice:team_load")).status_code == 403


def test_team_load_puts_the_operator_with_overdue_requests_first(
    client, supervisor, operator, django_assert_max_num_queries
):
    # given two operators: one with two open requests, one with one overdue request
    busy = operator
    late = UserFactory(is_staff=True, roles=(roles.OPERATOR,), last_name="Опоздалов")
    customer, owner = household()
    for assignee in (busy, busy, late):
        ticket = support_ticket(owner, customer)
        Request.objects.filter(pk=ticket.pk).update(assignee=assignee)
    Request.objects.filter(assignee=late).update(
        status_due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    client.force_login(supervisor)
    # when the supervisor opens the team's load
    with django_assert_max_num_queries(18):
        page = client.get(reverse("backoffice:team_load")).content.decode()
    # then the late operator comes first, with the overdue count, then the busy one
    assert page.index("Опоздалов") < page.index(str(busy))
    rows = page.split("<tbody>")[1]
    assert "Опоздалов" in rows.split("</tr>")[0]
