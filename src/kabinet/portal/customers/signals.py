"""allauth signals the customer pages react to (connected in PortalConfig.ready)."""

from __future__ import annotations

from django.conf import settings

from kabinet.customers.models import CUSTOMER_TYPE_PENDING
from kabinet.customers.selectors import has_membership
from kabinet.identity.services import user_password_changed


def ask_customer_type(sender, request, user, **kwargs) -> None:
    """After a login, a customer's user who is nobody's member yet is asked who they are
    («окно продолжения регистрации», signup flow «customer_type»)."""

    if "customer_type" not in settings.KABINET_SIGNUP_FLOWS or user.is_staff:
        return
    if not has_membership(user):
        request.session[CUSTOMER_TYPE_PENDING] = True


def password_chosen(sender, request=None, user=None, **kwargs) -> None:
    """A password the user chose ends the forced change of an initial password."""

    if user is not None:
        user_password_changed(user=user)
