"""The sandbox acquirer's own pages (a fake bank's card form), served only while the deployment's
provider is the sandbox. Not the customer face: this stands in for the bank's site."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from kabinet.billing.models import Payment, SandboxCharge
from kabinet.billing.providers import sandbox

Status = Payment.Status


def _luhn_ok(number: str) -> bool:
    total = 0
    for index, digit in enumerate(reversed(number)):
        value = int(digit) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


class CardForm(forms.Form):
    # The purposes a browser or a password manager fills in (WCAG 1.3.5) and, where only digits are
    # typed, the phone's digit keyboard.
    number = forms.CharField(
        label=gettext_lazy("Номер карты"),
        max_length=23,
        widget=forms.TextInput(attrs={"autocomplete": "cc-number", "inputmode": "numeric"}),
    )
    expiry = forms.CharField(
        label=gettext_lazy("Срок действия (ММ/ГГ)"),
        max_length=5,
        widget=forms.TextInput(attrs={"autocomplete": "cc-exp", "inputmode": "numeric"}),
    )
    cvc = forms.CharField(
        label=gettext_lazy("CVC/CVV"),
        max_length=3,
        min_length=3,
        widget=forms.TextInput(attrs={"autocomplete": "cc-csc", "inputmode": "numeric"}),
    )
    holder = forms.CharField(
        label=gettext_lazy("Имя владельца карты"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "cc-name", "spellcheck": "false"}),
    )

    def clean_number(self) -> str:
        digits = "".join(ch for ch in self.cleaned_data["number"] if ch.isdigit())
        if len(digits) != 16 or not _luhn_ok(digits):
            raise forms.ValidationError(_("Проверьте номер карты: 16 цифр."))
        return digits

    def clean_expiry(self) -> str:
        value = self.cleaned_data["expiry"].strip()
        # a phone's digit keyboard may have no «/»: «1230» is 12/30 too
        parts = value.split("/") if "/" in value else [value[:2], value[2:]]
        if (
            len(parts) != 2
            or not all(p.isdigit() and len(p) == 2 for p in parts)
            or not (1 <= int(parts[0]) <= 12)
        ):
            raise forms.ValidationError(_("Укажите срок действия как на карте: ММ/ГГ."))
        return "/".join(parts)

    def clean_cvc(self) -> str:
        value = self.cleaned_data["cvc"]
        if not value.isdigit():
            raise forms.ValidationError(_("Три цифры с обратной стороны карты."))
        return value


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Код из SMS"),
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _charge(public_id) -> SandboxCharge:
    if settings.KABINET_PAYMENT_PROVIDER != "sandbox":
        raise Http404
    try:
        return SandboxCharge.objects.get(public_id=uuid.UUID(str(public_id)))
    except (ValueError, SandboxCharge.DoesNotExist):
        raise Http404 from None


def _back_to_shop(charge: SandboxCharge) -> HttpResponseRedirect:
    url = charge.return_url
    if not url.startswith("/") or not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        url = "/"  # the return page is Kabinet's own; anything else is not followed
    return HttpResponseRedirect(url)


@transaction.atomic
def _finish(charge: SandboxCharge, status: str) -> None:
    charge.status = status
    charge.save(update_fields=["status", "card_last4", "code_attempts"])
    sandbox.charge_notify(charge)


@require_http_methods(["GET", "POST"])
def pay(request, public_id):
    charge = _charge(public_id)
    if charge.status != Status.PENDING:
        if charge.status == Status.WAITING_FOR_3DS:
            return HttpResponseRedirect(request.path + "3ds/")
        return _back_to_shop(charge)
    form = CardForm(request.POST or None)
    if request.method == "POST" and request.POST.get("cancel"):
        _finish(charge, Status.CANCELLED)
        return _back_to_shop(charge)
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["number"]
        charge.card_last4 = number[-4:]
        if number == sandbox.CARD_3DS:
            _finish(charge, Status.WAITING_FOR_3DS)
            return HttpResponseRedirect(request.path + "3ds/")
        _finish(charge, Status.SUCCEEDED if number == sandbox.CARD_SUCCESS else Status.DECLINED)
        return _back_to_shop(charge)
    return render(
        request,
        "billing/sandbox/card.html",
        {"charge": charge, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def confirm_3ds(request, public_id):
    charge = _charge(public_id)
    if charge.status != Status.WAITING_FOR_3DS:
        return _back_to_shop(charge)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["code"].strip() == sandbox.CONFIRMATION_CODE:
            _finish(charge, Status.SUCCEEDED)
            return _back_to_shop(charge)
        charge.code_attempts += 1
        if charge.code_attempts >= 3:
            _finish(charge, Status.DECLINED)
            return _back_to_shop(charge)
        charge.save(update_fields=["code_attempts"])
        form.add_error(
            "code", _("Неверный код. Осталось попыток: %(n)s.") % {"n": 3 - charge.code_attempts}
        )
    return render(
        request,
        "billing/sandbox/confirm_3ds.html",
        {"charge": charge, "form": form, "code_hint": sandbox.CONFIRMATION_CODE},
        status=400 if form.errors else 200,
    )
