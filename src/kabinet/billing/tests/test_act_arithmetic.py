"""The reconciliation act's arithmetic is the act sheet's one copy (documents.acts.ActBalances)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from kabinet.billing.selectors import ActRow, ReconciliationAct
from kabinet.documents.acts import ActBalances, ActLine, ActSheet

D = datetime.date


def test_billing_act_and_act_sheet_count_turnovers_closing_and_sides_alike():
    # given the same opening and rows on billing's act and on a printed act sheet
    rows = [
        (D(2026, 1, 31), Decimal("1500.00"), Decimal("0")),
        (D(2026, 2, 5), Decimal("0"), Decimal("2000.50")),
    ]
    act = ReconciliationAct(
        date_from=D(2026, 1, 1),
        date_to=D(2026, 2, 28),
        opening=Decimal("100.00"),
        rows=[ActRow(date=d, document="x", debit=dt, credit=ct) for d, dt, ct in rows],
    )
    sheet = ActSheet(
        ours="Поставщик",
        counterparty="Покупатель",
        subject="по договору",
        date_from=D(2026, 1, 1),
        date_to=D(2026, 2, 28),
        opening=Decimal("100.00"),
        rows=[ActLine(date=d, document="x", debit=dt, credit=ct) for d, dt, ct in rows],
    )
    # then both are the one arithmetic
    assert isinstance(act, ActBalances) and isinstance(sheet, ActBalances)
    for each in (act, sheet):
        assert each.debit_turnover == Decimal("1500.00")
        assert each.credit_turnover == Decimal("2000.50")
        # closing = opening + debit − credit; a negative balance sits on the credit side
        assert each.closing == Decimal("-400.50")
        assert (each.opening_debit, each.opening_credit) == (Decimal("100.00"), Decimal("0"))
        assert (each.closing_debit, each.closing_credit) == (Decimal("0"), Decimal("400.50"))
