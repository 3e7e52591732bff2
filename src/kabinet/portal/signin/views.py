"""Sign-in pages of the customer face: the signup form (allauth's view with a CAPTCHA picture that
can be renewed without JavaScript; flow «email»), «Получить пароль» (flow «otp»), reset by SMS code.
The flows a deployment offers are in `core/modules.py` (SIGNUP_FLOWS)."""

from __future__ import annotations

from allauth.account.utils import perform_login
from allauth.account.views import LoginView as AllauthLoginView
from allauth.account.views import SignupView as AllauthSignupView
from django.conf import settings
from django.contrib import messages
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from kabinet.core.audit import client_ip
from kabinet.core.formats.display import format_phone
from kabinet.identity.forms import (
    OtpCompleteForm,
    PhoneResetCompleteForm,
    PhoneResetRequestForm,
)
from kabinet.identity.services import OtpError, otp_complete, otp_issue, otp_reset_complete

# what the refresh keeps: never the passwords or the old CAPTCHA answer
_SIGNUP_KEEP = (
    "last_name",
    "first_name",
    "patronymic",
    "email",
    "phone",
    "consent_pd",
    "consent_terms",
)


class LoginView(AllauthLoginView):
    """allauth's login, plus «Обновить картинку» as a plain submit (works without JavaScript): the
    form comes back with the login typed, a new picture and no error — the password is not kept."""

    def post(self, request, *args, **kwargs):
        if "captcha_refresh" in request.POST:
            form_kwargs = self.get_form_kwargs()
            form_kwargs.pop("data", None)
            form_kwargs.pop("files", None)
            form_kwargs["initial"] = {"login": request.POST.get("login", "")}
            form = self.get_form_class()(**form_kwargs)
            return self.render_to_response(self.get_context_data(form=form))
        return super().post(request, *args, **kwargs)


class SignupView(AllauthSignupView):
    """allauth's signup, plus: «Обновить картинку» as a plain submit button (works without JS)
    re-renders the form with what was typed and a new picture; an invalid form answers 400.
    Where «Получить пароль» is the deployment's way in, the signup address leads there."""

    def dispatch(self, request, *args, **kwargs):
        if not self.is_open() and "otp" in settings.KABINET_SIGNUP_FLOWS:
            return redirect("kabinet_otp_signup")
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if "captcha_refresh" in request.POST and self.is_open():
            form_kwargs = self.get_form_kwargs()
            form_kwargs.pop("data", None)
            form_kwargs.pop("files", None)
            form_kwargs["initial"] = {
                key: request.POST.get(key) for key in _SIGNUP_KEEP if key in request.POST
            }
            form = self.get_form_class()(**form_kwargs)
            return self.render_to_response(self.get_context_data(form=form))
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


def _otp_enabled() -> None:
    if "otp" not in settings.KABINET_SIGNUP_FLOWS:
        raise Http404


@require_http_methods(["GET", "POST"])
def otp_signup(request):
    """Seed 002: «Получить пароль» sends a generated password; «Зарегистрироваться» uses it."""
    _otp_enabled()
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    login = request.session.get("kabinet_otp_login", "")
    form = OtpCompleteForm(initial={"login": format_phone(login) if login[:1] == "+" else login})
    status = 200
    if request.method == "POST" and "send" in request.POST:
        # «Получить пароль»: only the login matters; what else was typed is kept as it is
        form = OtpCompleteForm(request.POST)
        form.full_clean()
        form._errors = ErrorDict()
        try:
            kind, login = otp_issue(login=request.POST.get("login", ""), ip=client_ip(request))
        except OtpError as error:
            form.add_error("login", error.message)
            status = 400
        else:
            request.session["kabinet_otp_login"] = login
            where = (
                _("адрес %(login)s") % {"login": login}
                if kind == "email"
                else _("номер %(login)s") % {"login": format_phone(login)}
            )
            messages.success(
                request,
                ngettext(
                    "Пароль отправлен на %(where)s. Введите его ниже и нажмите "
                    "«Зарегистрироваться». Пароль действует %(minutes)s минуту.",
                    "Пароль отправлен на %(where)s. Введите его ниже и нажмите "
                    "«Зарегистрироваться». Пароль действует %(minutes)s минут.",
                    settings.KABINET_OTP_SIGNUP_MINUTES,
                )
                % {"where": where, "minutes": settings.KABINET_OTP_SIGNUP_MINUTES},
            )
            return redirect("kabinet_otp_signup")
    elif request.method == "POST":
        form = OtpCompleteForm(request.POST)
        if form.is_valid():
            try:
                user = otp_complete(
                    login=form.cleaned_data["login"],
                    password=form.cleaned_data["password"],
                    documents=list(form.consent_documents.values()),
                )
            except OtpError as error:
                form.add_error("password", error.message)
            else:
                request.session.pop("kabinet_otp_login", None)
                return perform_login(
                    request,
                    user,
                    email_verification="none",
                    redirect_url=resolve_url(settings.LOGIN_REDIRECT_URL),
                )
        status = 400
    return render(request, "portal/identity/otp_signup.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def phone_reset(request):
    """Forgot the password of a phone login: a code goes by SMS (same answer for any number)."""
    form = PhoneResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _kind, phone = otp_issue(
                login=form.cleaned_data["phone"], ip=client_ip(request), purpose="reset"
            )
        except OtpError as error:
            form.add_error("phone", error.message)
        else:
            request.session["kabinet_reset_phone"] = phone
            return redirect("kabinet_phone_reset_complete")
    return render(
        request,
        "portal/identity/phone_reset.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def phone_reset_complete(request):
    phone = request.session.get("kabinet_reset_phone")
    if not phone:
        return redirect("kabinet_phone_reset")
    form = PhoneResetCompleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            otp_reset_complete(
                phone=phone,
                code=form.cleaned_data["code"],
                new_password=form.cleaned_data["password1"],
            )
        except OtpError as error:
            form.add_error("code", error.message)
        else:
            request.session.pop("kabinet_reset_phone", None)
            messages.success(request, _("Пароль изменён. Войдите с новым паролем."))
            return redirect("account_login")
    return render(
        request,
        "portal/identity/phone_reset_complete.html",
        {"form": form, "phone": phone},
        status=400 if form.errors else 200,
    )
