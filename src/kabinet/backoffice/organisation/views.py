"""The organisation's profile (names, branding, payee details) and its legal documents."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kabinet.backoffice.access import staff_required
from kabinet.backoffice.organisation.forms import LegalDocumentForm, OrganisationForm
from kabinet.billing.payee import SOURCE_NONE as PAYEE_NONE
from kabinet.billing.payee import SOURCE_SETTINGS as PAYEE_FROM_SETTINGS
from kabinet.billing.payee import payee_resolve
from kabinet.core.selectors import (
    legal_documents_list,
    organisation_get,
    organisation_history,
)
from kabinet.core.services import legal_document_publish, organisation_update


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
            "history": organisation_history(),
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
