"""Staff «Документы»: the list with statuses (signed and rejected show here), sending a document
to a request's customer «для ознакомления» or «для подписи», a document's page with its versions,
history and signature evidence, a new version. Files only through these checked views."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kabinet.backoffice.access import staff_required
from kabinet.backoffice.list_specs import DOCUMENTS
from kabinet.backoffice.lists import staff_list_page
from kabinet.core.forms import apply_service_errors
from kabinet.documents import selectors, services
from kabinet.documents.files import pdf_response
from kabinet.documents.models import Purpose, Status
from kabinet.servicedesk.selectors import request_find_for_staff


class SendForm(forms.Form):
    request_number = forms.CharField(
        label=gettext_lazy("Номер заявки"),
        max_length=30,
        help_text=gettext_lazy("Например, ТП-2026-000001"),
    )
    title = forms.CharField(label=gettext_lazy("Название документа"), max_length=255)
    purpose = forms.ChoiceField(
        label=gettext_lazy("Назначение"),
        choices=[
            (Purpose.SIGNATURE, Purpose.SIGNATURE.label),
            (Purpose.INFORMATION, Purpose.INFORMATION.label),
        ],
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=gettext_lazy("Файл PDF"), help_text=gettext_lazy("Только PDF, до 20 МБ.")
    )


class VersionForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Новая версия, файл PDF"))


@staff_required("documents.view_document")
def document_list(request):
    form = SendForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            req = request_find_for_staff(request.user, data["request_number"])
        except Http404:
            form.add_error("request_number", _("Заявка с таким номером не найдена."))
        else:
            try:
                document = services.document_send(
                    actor=request.user,
                    request=req,
                    title=data["title"],
                    purpose=data["purpose"],
                    upload=data["file"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Документ направлен клиенту."))
                return redirect("backoffice:documents:detail", document.public_id)
    page, filters = staff_list_page(request, DOCUMENTS)
    return render(
        request,
        "backoffice/documents/document_list.html",
        {
            "page": page,
            "status": filters["status"],
            "statuses": Status.choices,
            "form": form,
            "list_filters": filters,
        },
        status=400 if form.errors else 200,
    )


def _detail(request, document, *, form=None, status=200):
    return render(
        request,
        "backoffice/documents/document_detail.html",
        {
            "document": document,
            "versions": list(document.versions.all()),
            "transitions": list(document.transitions.all()),
            "form": form or VersionForm(),
        },
        status=status,
    )


@staff_required("documents.view_document")
def document_detail(request, public_id):
    return _detail(request, selectors.document_get_for_staff(request.user, public_id))


@staff_required("documents.add_document")
@require_POST
def version_add(request, public_id):
    document = selectors.document_get_for_staff(request.user, public_id)
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_version_add(
                actor=request.user, document=document, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Новая версия направлена клиенту."))
            return redirect("backoffice:documents:detail", document.public_id)
    return _detail(request, document, form=form, status=400)


@staff_required("documents.view_document")
def version_file(request, public_id, version_id):
    version = selectors.version_get_for_staff(request.user, public_id, version_id)
    return pdf_response(version.file.name, version.name, inline=False)


@staff_required("documents.view_document")
def signed_file(request, public_id, signature_id):
    document = selectors.document_get_for_staff(request.user, public_id)
    signature = document.signatures.filter(public_id=signature_id).first()
    if signature is None:
        raise Http404
    return pdf_response(
        signature.stamped_file.name, f"signed-{signature.version.name}", inline=False
    )
