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


def test_the_steel_demo_has_a_contract_whose_act_adds_up(client, settings):
    """The steel buyer's accountant sees a real act of the supply contract (two consignees)."""
    from kabinet.billing.selectors import contract_reconciliation_act_for
    from kabinet.customers.account_selectors import contract_list_for
    from kabinet.customers.models import Customer
    from kabinet.demo.customers import STEEL_ACCOUNTANT

    # given the steel demo loaded twice
    demo_load(profile="steel")
    demo_load(profile="steel")
    accountant = User.objects.get(email=STEEL_ACCOUNTANT.email)
    company = Customer.objects.get(name="ООО «Прокат-Сервис»")
    # then its accountant reaches one contract with two accounts and a year of bills
    [contract] = contract_list_for(accountant, company)
    assert contract.number == "ПТ-2024/031"
    assert contract.accounts.count() == 2
    today = timezone.localdate()
    act = contract_reconciliation_act_for(
        accountant, contract, today.replace(year=today.year - 1), today
    )
    assert {row.account for row in act.rows} == {"4800700101", "4800700102"}
    assert act.debit_turnover > 0 and act.credit_turnover > 0
    assert act.closing == act.opening + act.debit_turnover - act.credit_turnover
    assert act.counterparty == "ООО «Прокат-Сервис»"
    # and the steel deployment (no «billing», but «reconciliation») offers the act by contract
    from kabinet.core.modules import PROFILES as MODULE_PROFILES

    settings.KABINET_MODULES = MODULE_PROFILES["steel"]
    client.force_login(accountant)
    page = client.get("/acts/").content.decode()
    assert "По договору" in page and "№ ПТ-2024/031 от 22.01.2024" in page
