"""The staff face: thin views over services and selectors, each behind a role permission."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kabinet.backoffice.access import demo_page, staff_required
from kabinet.backoffice.forms import ImpersonationForm, LegalDocumentForm, OrganisationForm
from kabinet.billing.payee import SOURCE_NONE as PAYEE_NONE
from kabinet.billing.payee import SOURCE_SETTINGS as PAYEE_FROM_SETTINGS
from kabinet.billing.payee import payee_resolve
from kabinet.core import mail
from kabinet.core.health import check_label, readiness
from kabinet.core.selectors import (
    audit_actions,
    audit_events_list,
    legal_documents_list,
    organisation_get,
)
from kabinet.core.services import audit_record, legal_document_publish, organisation_update
from kabinet.identity.impersonation import SESSION_KEY as IMPERSONATION_SESSION_KEY
from kabinet.identity.impersonation import impersonation_end, impersonation_start
from kabinet.identity.roles import ROLE_LABELS
from kabinet.identity.selectors import customer_user_get, customer_users_search, locked_logins
from kabinet.identity.services import login_unlock


@staff_required()
def home(request):
    staff_roles = [str(ROLE_LABELS.get(g.name, g.name)) for g in request.user.groups.all()]
    checks = [(check_label(name), check) for name, check in readiness()["checks"].items()]
    return render(request, "backoffice/home.html", {"checks": checks, "staff_roles": staff_roles})


@staff_required("core.change_organisation")
@require_http_methods(["GET", "POST"])
def organisation(request):
    current = organisation_get()
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=current)
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in OrganisationForm.Meta.fields}
        try:
            organisation_update(
                actor=request.user,
                logo=form.cleaned_data["logo_upload"],
                remove_logo=form.cleaned_data["remove_logo"],
                **fields,
            )
        except ValidationError as error:
            # the form checked the fields already: what is left is the logo's content
            form.add_error(None if hasattr(error, "error_dict") else "logo_upload", error)
        else:
            messages.success(request, _("Профиль организации сохранён."))
            return redirect("backoffice:organisation")
    _payee, payee_source = payee_resolve()
    return render(
        request,
        "backoffice/core/organisation_edit.html",
        {
            "form": form,
            "payee_from_settings": payee_source == PAYEE_FROM_SETTINGS,
            "payee_none": payee_source == PAYEE_NONE,
        },
        status=400 if form.errors else 200,
    )


@staff_required("core.view_legaldocument")
def legal_documents(request):
    return render(
        request, "backoffice/core/legaldocument_list.html", {"documents": legal_documents_list()}
    )


@staff_required("core.add_legaldocument")
@require_http_methods(["GET", "POST"])
def legal_document_new(request):
    form = LegalDocumentForm(request.POST or None, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        document = legal_document_publish(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Опубликована редакция %(v)s.") % {"v": document.version})
        return redirect("backoffice:legal_documents")
    return render(
        request,
        "backoffice/core/legaldocument_new.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@staff_required("core.view_auditevent")
def audit(request):
    action = request.GET.get("action", "").strip()
    page = Paginator(audit_events_list(action_prefix=action), 50).get_page(request.GET.get("page"))
    # htmx asks for the results only; a plain request (no JS) gets the whole page
    template = "backoffice/core/audit_list.html" + ("#results" if request.htmx else "")
    return render(
        request,
        template,
        {"page": page, "action": action, "actions": audit_actions()},
    )


@staff_required("axes.view_accessattempt")
def lockouts(request):
    return render(request, "backoffice/identity/lockout_list.html", {"locked": locked_logins()})


@staff_required("axes.delete_accessattempt")
@require_POST
def lockout_release(request):
    login = request.POST.get("login", "").strip()
    if login:
        login_unlock(actor=request.user, login=login)
        messages.success(request, _("Вход для %(login)s разблокирован.") % {"login": login})
    return redirect("backoffice:lockouts")


@staff_required("identity.impersonate")
def users(request):
    query = request.GET.get("q", "")
    return render(
        request,
        "backoffice/identity/user_list.html",
        {"users": customer_users_search(query), "query": query},
    )


@staff_required("identity.impersonate")
@require_http_methods(["GET", "POST"])
def impersonation_start_view(request, public_id):
    target = customer_user_get(public_id)
    form = ImpersonationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session = impersonation_start(
            actor=request.user, target=target, reason=form.cleaned_data["reason"]
        )
        request.session[IMPERSONATION_SESSION_KEY] = session.pk
        return redirect("portal:dashboard")
    return render(
        request,
        "backoffice/identity/impersonation_start.html",
        {"form": form, "target": target},
        status=400 if form.errors else 200,
    )


@require_POST
def impersonation_stop(request):
    """Reachable while impersonating (the middleware keeps the staff user on this URL)."""
    session_id = request.session.pop(IMPERSONATION_SESSION_KEY, None)
    if session_id:
        impersonation_end(session_id=session_id)
    return redirect(
        "backoffice:users" if request.user.has_perm("identity.impersonate") else "portal:dashboard"
    )


@demo_page
@staff_required("identity.view_demo_mailbox")
def mailbox(request):
    recipient = request.GET.get("to", "").strip()
    # the demo mailbox holds customers' reset links: who read it, and whose, is on record
    audit_record(action="demo_mailbox.view", actor=request.user, data={"to": recipient})
    return render(
        request,
        "backoffice/core/mailbox_list.html",
        {"messages_list": mail.outbox_messages(recipient=recipient), "recipient": recipient},
    )


@demo_page
@staff_required("identity.view_demo_mailbox")
def mailbox_message(request, message_id: str):
    message = mail.outbox_message(message_id)
    if message is None:
        raise Http404
    audit_record(
        action="demo_mailbox.view",
        actor=request.user,
        data={"message": message_id, "to": message.to},
    )
    return render(request, "backoffice/core/mailbox_detail.html", {"message": message})
