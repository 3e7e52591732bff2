"""The dashboard's panels that tell a customer what to do next: readings still to submit this
month, requests that wait for their answer. Each follows the active account or customer."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kabinet.customers.tests.factories import account, household
from kabinet.metering.services import period_of
from kabinet.metering.tests.factories import meter, monthly
from kabinet.servicedesk.services import request_change_status
from kabinet.servicedesk.tests.factories import support_ticket

pytestmark = pytest.mark.django_db


def this_month() -> datetime.date:
    return period_of(timezone.localdate())


def last_month() -> datetime.date:
    return period_of(this_month() - datetime.timedelta(days=1))


def dashboard(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("portal:dashboard")).content.decode()


def test_the_readings_panel_names_the_meters_still_to_submit(client, organisation, settings):
    # given the window open today and two meters, one already read this month
    settings.KABINET_READINGS_WINDOW_START, settings.KABINET_READINGS_WINDOW_END = 1, 31
    customer, owner = household()
    acc = account(customer=customer)
    read = meter(acc, serial_number="11111111", average_daily_t1=Decimal(5))
    waiting = meter(acc, serial_number="22222222", average_daily_t1=Decimal(5))
    monthly(read, (last_month(), {"T1": 1000}), (this_month(), {"T1": 1150}))
    monthly(waiting, (last_month(), {"T1": 500}))
    # when the owner opens the dashboard
    page = dashboard(client, owner)
    # then the panel lists only the meter without this month's reading, with the way to submit
    panel = page.split('id="readings-title"')[1].split("</section>")[0]
    assert "№ 22222222" in panel
    assert "№ 11111111" not in panel
    assert f'href="{reverse("portal:metering:enter")}"' in panel
    # and once it is read too, the panel thanks instead of asking
    monthly(waiting, (this_month(), {"T1": 600}))
    panel = dashboard(client, owner).split('id="readings-title"')[1].split("</section>")[0]
    assert "по всем счётчикам переданы" in panel
    assert f'href="{reverse("portal:metering:enter")}"' not in panel


def test_outside_the_window_the_readings_panel_says_when_it_opens(client, organisation, settings):
    today = timezone.localdate().day
    # a one-day window that is not today
    settings.KABINET_READINGS_WINDOW_START = settings.KABINET_READINGS_WINDOW_END = (
        1 if today != 1 else 2
    )
    customer, owner = household()
    meter(account(customer=customer), serial_number="33333333")
    panel = dashboard(client, owner).split('id="readings-title"')[1].split("</section>")[0]
    assert "Показания принимаются с" in panel
    assert f'href="{reverse("portal:metering:enter")}"' not in panel


def test_no_readings_panel_without_meters_and_never_another_customer_s(client, organisation):
    customer, owner = household()
    account(customer=customer)  # an account without meters
    other, _stranger = household()
    meter(account(customer=other), serial_number="44444444")
    page = dashboard(client, owner)
    assert 'id="readings-title"' not in page
    assert "44444444" not in page


def test_the_requests_panel_counts_open_requests_and_links_those_awaiting_an_answer(
    client, organisation, operator
):
    # given three tickets: one the operator asked a question on, one in work, one closed
    customer, owner = household()
    asked = support_ticket(owner, customer, values={"subject": "Нужен серийный номер"})
    support_ticket(owner, customer, values={"subject": "Коммутатор не загружается"})
    closed = support_ticket(owner, customer, values={"subject": "Уже решено"})
    request_change_status(actor=operator, req=asked, status="waiting")
    request_change_status(actor=operator, req=closed, status="closed")
    # and another customer's ticket waiting for its own answer
    other, stranger = household()
    theirs = support_ticket(stranger, other, values={"subject": "Чужая заявка"})
    request_change_status(actor=operator, req=theirs, status="waiting")
    # when the owner opens the dashboard
    panel = dashboard(client, owner).split('id="requests-title"')[1].split("</section>")[0]
    # then two are open, one waits for them, with its link; nothing of the other customer
    assert "В работе 2 заявки." in panel
    assert "Ждёт вашего ответа: 1." in panel
    assert reverse("portal:servicedesk:request_detail", args=[asked.public_id]) in panel
    assert "Нужен серийный номер" in panel
    assert "Чужая заявка" not in panel


def test_no_requests_panel_when_nothing_is_open(client, organisation):
    _customer, owner = household()
    assert 'id="requests-title"' not in dashboard(client, owner)


def test_the_dashboard_costs_the_same_queries_with_more_requests(
    client, organisation, django_assert_max_num_queries, settings
):
    settings.KABINET_PAGE_CACHE = False  # what rendering the page costs, not the kept copy
    customer, owner = household()
    support_ticket(owner, customer)
    client.force_login(owner)
    client.get(reverse("portal:dashboard"))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("portal:dashboard"))
    for _ in range(5):
        support_ticket(owner, customer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("portal:dashboard")).content.decode()
    # and six open requests are counted with the Russian ending for six
    assert "В работе 6 заявок." in page


def test_the_balance_panel_says_when_the_payment_date_has_passed(client, organisation):
    from kabinet.billing.tests.factories import bill, customer_with_account

    # given a debt whose bill was due yesterday
    owner, acc = customer_with_account()
    today = timezone.localdate()
    period = period_of(period_of(today) - datetime.timedelta(days=1))
    due = bill(acc, period, due_on=today - datetime.timedelta(days=1))
    panel = dashboard(client, owner).split('id="balance-title"')[1].split("</section>")[0]
    assert f"Срок оплаты истёк {due.due_on:%d.%m.%Y}." in panel
    # and a bill due today is still «оплатить до»
    bill(acc, period, due_on=today)
    panel = dashboard(client, owner).split('id="balance-title"')[1].split("</section>")[0]
    assert f"оплатить до {today:%d.%m.%Y}" in panel
    assert "Срок оплаты истёк" not in panel


def test_the_balance_panel_asks_for_no_payment_when_nothing_is_owed(client, organisation):
    from kabinet.billing.tests.factories import bill, customer_with_account

    # given a bill that leaves nothing to pay, due in the future
    owner, acc = customer_with_account()
    today = timezone.localdate()
    period = period_of(period_of(today) - datetime.timedelta(days=1))
    bill(acc, period, day=Decimal("0.00"), due_on=today + datetime.timedelta(days=5))
    # when the owner opens the dashboard
    panel = dashboard(client, owner).split('id="balance-title"')[1].split("</section>")[0]
    # then it says there is no debt and does not ask to pay by a date
    assert "Задолженности нет." in panel
    assert "оплатить до" not in panel


def test_the_balance_panel_names_the_bill_s_month_in_words(client, organisation):
    from kabinet.billing.tests.factories import bill, customer_with_account
    from kabinet.core.formats.display import format_month_in_text

    # given a debt on last month's bill
    owner, acc = customer_with_account()
    period = last_month()
    bill(acc, period, due_on=timezone.localdate() + datetime.timedelta(days=5))
    # when the customer opens the dashboard
    panel = dashboard(client, owner).split('id="balance-title"')[1].split("</section>")[0]
    # then the bill is named by its month in words («за октябрь 2026»), not «за 10.2026»
    assert f"По счёту за {format_month_in_text(period)} с учётом оплат" in panel
    assert f"за {period:%m.%Y}" not in panel
