"""The personal account every account page of the portal follows (the top bar's switcher)."""

from __future__ import annotations

from django.http import HttpRequest

from kabinet.customers.account_selectors import account_active_for
from kabinet.customers.models import PersonalAccount
from kabinet.customers.selectors import customer_active_for


def active_account(request: HttpRequest) -> PersonalAccount | None:
    """The account chosen in the switcher (else the first one) of the active customer, or None."""
    return account_active_for(request, customer_active_for(request))


def account_choices(request: HttpRequest) -> list[PersonalAccount]:
    """Every account the switcher offers (resolved together with the active one, no extra query)."""
    active_account(request)
    return list(getattr(request, "_kabinet_accounts", []))
