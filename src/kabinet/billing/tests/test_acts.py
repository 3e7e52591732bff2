"""The reconciliation act by contract (rows of all its accounts, balances summed), who may reach a
contract, and the act made in the background: a real PDF and XLSX, a status, a Russian failure."""

import datetime
import io
from decimal import Decimal

import pytest
from django.http import Http404
from openpyxl import load_workbook

from kabinet.billing import documents
from kabinet.billing.models import ActRequest
from kabinet.billing.selectors import (
    act_request_get_for,
    act_request_list_for,
    contract_reconciliation_act_for,
    reconciliation_act_for,
)
from kabinet.billing.services import (
    ACT_FAILED_MESSAGE,
    ACT_NO_ACCESS_MESSAGE,
    act_request_create,
    act_request_generate,
    payment_record_external,
)
from kabinet.billing.tests.factories import bill
from kabinet.billing.tests.pdf import pdf_text
from kabinet.core.models import AuditEvent
from kabinet.customers.account_selectors import contract_get_for, contract_list_for
from kabinet.customers.account_services import contract_upsert
from kabinet.customers.models import Contract, Membership
from kabinet.customers.tests.factories import CustomerFactory, account, member

pytestmark = pytest.mark.django_db
FEB, MAR = datetime.date(2026, 2, 1), datetime.date(2026, 3, 31)


def _paid(acc, external_id: str, amount: str, day: datetime.date) -> None:
    payment_record_external(
        account=acc,
        external_id=external_id,
        amount=Decimal(amount),
        paid_at=datetime.datetime(day.year, day.month, day.day, 12, tzinfo=datetime.UTC),
    )


@pytest.fixture
def supply(organisation):
    """A company with a supply contract of two accounts (a works and a warehouse), Jan–Mar bills.

    Works: opening 500, Jan 1 000, Feb 2 000, Mar 300; paid 1 500 on 05.02, 2 000 on 06.03.
    Warehouse: opening 0, Jan 400, Feb 600, Mar 100; paid 400 on 10.02, 600 on 10.03."""
    company = CustomerFactory(name="ООО «Прокат-Сервис»")
    accountant = member(company, Membership.Role.ACCOUNTANT)
    contract = contract_upsert(
        number="ПТ-2026/007",
        kind=Contract.Kind.BUSINESS,
        signed_on=datetime.date(2025, 12, 15),
        customer=company,
    )
    works = account(customer=company, number="8800100001", contract=contract)
    store = account(customer=company, number="8800100002", contract=contract)
    jan, feb, mar = (datetime.date(2026, m, 1) for m in (1, 2, 3))
    bill(works, jan, day=Decimal("1000"), opening_balance=Decimal("500"))
    bill(works, feb, day=Decimal("2000"), opening_balance=Decimal("1500"), paid=Decimal("1500"))
    bill(works, mar, day=Decimal("300"), opening_balance=Decimal("2000"), paid=Decimal("2000"))
    bill(store, jan, day=Decimal("400"))
    bill(store, feb, day=Decimal("600"), opening_balance=Decimal("400"), paid=Decimal("400"))
    bill(store, mar, day=Decimal("100"), opening_balance=Decimal("600"), paid=Decimal("600"))
    _paid(works, "w1", "1500", datetime.date(2026, 2, 5))
    _paid(works, "w2", "2000", datetime.date(2026, 3, 6))
    _paid(store, "s1", "400", datetime.date(2026, 2, 10))
    _paid(store, "s2", "600", datetime.date(2026, 3, 10))
    return company, accountant, contract, works, store


def test_a_contracts_act_lists_both_accounts_and_its_balances_add_up(supply):
    _company, accountant, contract, works, store = supply
    # when the accountant makes the contract's act for February–March
    act = contract_reconciliation_act_for(accountant, contract, FEB, MAR)
    # then the opening is both accounts' ledgers before February: 500 + 1 000 + 400
    assert act.opening == Decimal("1900")
    # and the rows come from both accounts, each naming its own
    assert {row.account for row in act.rows} == {works.number, store.number}
    assert len(act.rows) == 8  # 2 bills + 2 payments per account
    assert act.debit_turnover == Decimal("3000") and act.credit_turnover == Decimal("4500")
    # closing = opening + debit − credit, and it is what the two March bills leave to pay
    assert act.closing == act.opening + act.debit_turnover - act.credit_turnover
    march = works.bills.get(period=datetime.date(2026, 3, 1)).closing_balance
    march += store.bills.get(period=datetime.date(2026, 3, 1)).closing_balance
    assert act.closing == march == Decimal("400")
    assert [row.date for row in act.rows] == sorted(row.date for row in act.rows)
    # and its header names the contract, not an account
    assert act.subject.startswith("по договору № ПТ-2026/007 от 15.12.2025")
    assert act.counterparty == "ООО «Прокат-Сервис»"
    # while one account's act holds only that account's rows
    single = reconciliation_act_for(accountant, works, FEB, MAR)
    assert {row.account for row in single.rows} == {works.number}
    assert single.subject.startswith(f"по лицевому счёту № {works.number}")


def test_only_finance_roles_of_the_contracts_customer_reach_it(supply):
    company, accountant, contract, _works, _store = supply
    # given a viewer of the same company and the owner of another company
    viewer = member(company, Membership.Role.VIEWER)
    stranger = member(CustomerFactory())
    # then the accountant reaches the contract and the others get «not found»
    assert contract_get_for(accountant, contract.public_id) == contract
    assert contract_list_for(accountant, company) == [contract]
    for outsider in (viewer, stranger):
        assert contract_list_for(outsider, company) == []
        with pytest.raises(Http404):
            contract_get_for(outsider, contract.public_id)
        with pytest.raises(Http404):
            contract_reconciliation_act_for(outsider, contract, FEB, MAR)
        with pytest.raises(Http404):
            act_request_create(
                actor=outsider, customer=company, contract=contract, date_from=FEB, date_to=MAR
            )


def test_the_worker_makes_a_real_pdf_and_xlsx_of_the_contracts_act(
    supply, django_capture_on_commit_callbacks
):
    company, accountant, contract, works, store = supply
    # when the accountant asks for the act (the test backend runs the task on commit)
    with django_capture_on_commit_callbacks(execute=True):
        act_request = act_request_create(
            actor=accountant, customer=company, contract=contract, date_from=FEB, date_to=MAR
        )
    act_request.refresh_from_db()
    # then it is done, with the summary kept and the request audited
    assert act_request.status == ActRequest.Status.DONE and act_request.progress == 100
    assert act_request.finished_at is not None and act_request.error == ""
    assert (act_request.opening, act_request.closing) == (Decimal("1900"), Decimal("400"))
    assert AuditEvent.objects.filter(
        action="billing.act_requested", object_id=str(act_request.pk)
    ).exists()
    # and the PDF reads as an act of the contract with the balances and both accounts
    with act_request.pdf.open("rb") as stored:
        text = pdf_text(stored.read())
    assert "Акт сверки взаимных расчётов" in text
    assert "по договору № ПТ-2026/007 от 15.12.2025" in text
    assert "1 900,00 ₽" in text and "400,00 ₽" in text
    assert f"л/с {works.number}" in text and f"л/с {store.number}" in text
    assert "Главный бухгалтер" in text and "От покупателя: ООО «Прокат-Сервис»" in text
    # and the workbook adds up, each row naming its account in column E
    with act_request.xlsx.open("rb") as stored:
        sheet = load_workbook(io.BytesIO(stored.read())).active
    rows = list(sheet.iter_rows(values_only=True))
    named = {row[1]: row for row in rows if row and len(row) > 3 and row[1]}
    opening, turnover, closing = (
        named["Сальдо начальное"],
        named["Обороты за период"],
        named["Сальдо конечное"],
    )
    net = lambda row: Decimal(str(row[2] or 0)) - Decimal(str(row[3] or 0))  # noqa: E731
    assert net(opening) + net(turnover) == net(closing) == Decimal("400")
    ledger = [row for row in rows if isinstance(row[0], datetime.datetime)]
    assert {row[4] for row in ledger} == {works.number, store.number}
    assert sum(Decimal(str(row[2] or 0)) for row in ledger) == Decimal(str(turnover[2]))


def test_a_failure_leaves_a_russian_message_and_a_repeated_task_does_nothing(
    supply, monkeypatch, django_capture_on_commit_callbacks
):
    company, accountant, contract, _works, _store = supply

    def broken(act):
        raise OSError("fonts missing")

    # given the PDF renderer fails
    monkeypatch.setattr(documents, "act_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        act_request = act_request_create(
            actor=accountant, customer=company, contract=contract, date_from=FEB, date_to=MAR
        )
    act_request.refresh_from_db()
    # then the request failed with a message for the person, no trace, no files
    assert act_request.status == ActRequest.Status.FAILED
    assert act_request.error == ACT_FAILED_MESSAGE and "fonts" not in act_request.error
    assert not act_request.pdf and act_request.finished_at is not None
    # and running the task again leaves it as it is
    assert act_request_generate(act_request_id=act_request.pk) is None


def test_an_act_whose_access_ended_before_it_was_made_fails_politely(supply):
    company, accountant, contract, _works, _store = supply
    # given a request queued (not yet run), then the accountant's membership ends
    act_request = act_request_create(
        actor=accountant, customer=company, contract=contract, date_from=FEB, date_to=MAR
    )
    Membership.objects.filter(user=accountant).delete()
    # when the worker gets to it
    act_request_generate(act_request_id=act_request.pk)
    act_request.refresh_from_db()
    # then nothing of the contract was written, and the reason is told
    assert act_request.status == ActRequest.Status.FAILED
    assert act_request.error == ACT_NO_ACCESS_MESSAGE and not act_request.pdf
    # and the request itself is no longer reachable for them
    assert act_request_list_for(accountant) == []
    with pytest.raises(Http404):
        act_request_get_for(accountant, act_request.public_id)


def test_a_wrong_period_is_refused_before_anything_is_queued(supply):
    company, accountant, contract, _works, _store = supply
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        act_request_create(
            actor=accountant, customer=company, contract=contract, date_from=MAR, date_to=FEB
        )
    assert not ActRequest.objects.exists()


def test_an_act_left_running_by_a_dead_worker_is_made_by_the_retry_once(supply):
    company, accountant, contract, _works, _store = supply
    # given a request whose worker marked it «running» and then died (kabinet.core.workers)
    act_request = act_request_create(
        actor=accountant, customer=company, contract=contract, date_from=FEB, date_to=MAR
    )
    ActRequest.objects.filter(pk=act_request.pk).update(status=ActRequest.Status.RUNNING)
    # when the same task runs again, not as a retry, then it does not start a second act
    assert act_request_generate(act_request_id=act_request.pk) is None
    # when it runs as the retry of the dead worker's attempt
    act_request_generate(act_request_id=act_request.pk, resume=True)
    act_request.refresh_from_db()
    # then the act is made, and a further retry leaves the made act alone
    assert act_request.status == ActRequest.Status.DONE and act_request.pdf
    assert act_request_generate(act_request_id=act_request.pk, resume=True) is None
