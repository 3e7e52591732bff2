"""The billing demo: a year of bills per account, a debt and an overpayment, idempotent."""

import datetime

import pytest
from django.utils import timezone

from kabinet.billing.models import Bill, Payment
from kabinet.billing.selectors import account_balance_for
from kabinet.customers.models import PersonalAccount
from kabinet.demo.services import demo_load
from kabinet.identity.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_year_of_bills_a_debt_and_an_overpayment_and_loads_twice_the_same():
    demo_load(profile="energy")
    demo_load(profile="energy")
    user = User.objects.get(email="energy@demo.kabinet.example")
    flat = PersonalAccount.objects.get(number="7701002001")
    house = PersonalAccount.objects.get(number="7701002002")
    assert Bill.objects.filter(account=flat).count() == 12
    last = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    latest = Bill.objects.filter(account=flat).latest("period")
    assert latest.period == last.replace(day=1)
    assert {line.service_code for line in latest.lines.all()} == {"EL-D", "EL-N"}
    assert account_balance_for(user, flat).debt > 0
    assert account_balance_for(user, house).overpayment > 0
    payments = Payment.objects.filter(account=flat).count()
    demo_load(profile="energy")
    assert Payment.objects.filter(account=flat).count() == payments
