"""«Документы»: pick a request → its documents both ways; a document's page with the PDF inline,
«Подписать» and «Отклонить»; the customer's upload; the profile's «Электронная подпись»; the
public signature check /verify/ (no login, rate-limited, never shows a document).

Views parse, call the documents' services and selectors, and render. Files are served only after
a selector checked who asks; the inline view alone may be framed, by this site only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST

from kabinet.billing.selectors import request_invoices_for
from kabinet.core.forms import apply_service_errors
from kabinet.core.ratelimit import rate_consume
from kabinet.customers.selectors import customer_active_for
from kabinet.documents import selectors, services
from kabinet.documents.files import pdf_response
from kabinet.documents.models import KINDS_BEFORE_PAYMENT, Signature, Status
from kabinet.documents.verification import signature_verify
from kabinet.portal.documents.forms import (
    DocumentUploadForm,
    RejectForm,
    SignatureKeyForm,
    SignForm,
    VerifyForm,
    VersionForm,
)


@login_required
def document_requests(request):
    """Pick a request (the seed's drop-down) → its documents."""
    customer = customer_active_for(request)
    chosen = request.GET.get("request", "")
    if chosen:
        return redirect("portal:documents:request", chosen)
    requests = list(selectors.requests_with_documents_for(request.user, customer)[:200])
    return render(request, "portal/documents/request_list.html", {"requests": requests})


@login_required
def request_documents(request, request_id):
    req, documents = selectors.request_documents_for(request.user, request_id)
    return render(
        request,
        "portal/documents/document_list.html",
        {"req": req, "documents": documents, "form": DocumentUploadForm()},
    )


@login_required
def document_upload(request, request_id):
    req, documents = selectors.request_documents_for(request.user, request_id)
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_upload(
                actor=request.user,
                request=req,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Документ загружен."))
            return redirect("portal:documents:detail", document.public_id)
    return render(
        request,
        "portal/documents/document_list.html",
        {"req": req, "documents": documents, "form": form},
        status=400 if form.errors else 200,
    )


def _detail(request, document, *, sign_form=None, reject_form=None, version_form=None, status=200):
    versions = list(document.versions.all())
    current = versions[0] if versions else None
    method = services.signature_method()
    signed = current is not None and hasattr(current, "signature")
    return render(
        request,
        "portal/documents/document_detail.html",
        {
            "document": document,
            "current": current,
            "older": versions[1:],
            "signature_key": selectors.signature_key_for(request.user),
            "method": method,
            "sms": method == Signature.Method.SMS,
            "can_sign": document.needs_signature
            and document.status in (Status.SENT, Status.VIEWED)
            and current is not None
            and not signed,
            "sign_form": sign_form
            or SignForm(method=method, initial={"version": current.public_id if current else ""}),
            "reject_form": reject_form or RejectForm(),
            "version_form": version_form or VersionForm(),
            "signature": current.signature if signed else None,
        },
        status=status,
    )


@login_required
def document_detail(request, public_id):
    document = selectors.document_get_for(request.user, public_id)
    if document.from_staff and document.status == Status.SENT:
        services.document_mark_viewed(actor=request.user, document=document)
        document = selectors.document_get_for(request.user, public_id)
    return _detail(request, document)


@login_required
@require_POST
def document_sign(request, public_id):
    document = selectors.document_get_for(request.user, public_id)
    form = SignForm(request.POST, method=services.signature_method())
    if form.is_valid():
        try:
            services.document_sign(
                actor=request.user,
                document=document,
                version_id=form.cleaned_data["version"],
                secret=form.cleaned_data["secret"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _after_signing(request, document)
    return _detail(request, document, sign_form=form, status=400)


def _after_signing(request, document):
    """A signed offer leads on: to the next offer document still to sign, else straight to the
    request's invoice, now payable; any other document stays on its page."""
    if document.kind in KINDS_BEFORE_PAYMENT:
        unsigned = selectors.documents_to_sign_before_payment(document.request)
        if unsigned:
            messages.success(
                request,
                _("Документ подписан. Подпишите также «%(title)s» — затем можно оплатить счёт.")
                % {"title": unsigned[0].title},
            )
            return redirect("portal:documents:detail", unsigned[0].public_id)
        if any(i.payable for i in request_invoices_for(request.user, document.request)):
            messages.success(request, _("Документ подписан. Теперь оплатите счёт по заявке."))
            url = reverse("portal:servicedesk:request_detail", args=[document.request.public_id])
            return redirect(f"{url}#invoices-title")
    messages.success(request, _("Документ подписан."))
    return redirect("portal:documents:detail", document.public_id)


@login_required
@require_POST
def signing_code(request, public_id):
    document = selectors.document_get_for(request.user, public_id)
    try:
        services.signing_code_request(actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Код подписания отправлен в SMS."))
    return redirect("portal:documents:detail", document.public_id)


@login_required
@require_POST
def document_reject(request, public_id):
    document = selectors.document_get_for(request.user, public_id)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.document_reject(
                actor=request.user, document=document, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Документ отклонён. Компания увидит причину."))
            return redirect("portal:documents:detail", document.public_id)
    return _detail(request, document, reject_form=form, status=400)


@login_required
@require_POST
def version_add(request, public_id):
    document = selectors.document_get_for(request.user, public_id)
    if document.from_staff:
        raise Http404
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_version_add(
                actor=request.user, document=document, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Новая версия загружена."))
            return redirect("portal:documents:detail", document.public_id)
    return _detail(request, document, version_form=form, status=400)


@login_required
@xframe_options_sameorigin
# the browser's PDF viewer is an embedded plugin: object-src 'self' lets it run in the frame
@csp_override({"default-src": [CSP.NONE], "object-src": [CSP.SELF], "frame-ancestors": [CSP.SELF]})
def version_file(request, public_id, version_id, inline=False):
    version = selectors.version_get_for(request.user, public_id, version_id)
    return pdf_response(version.file.name, version.name, inline=inline)


@login_required
def signed_file(request, public_id, signature_id):
    signature = selectors.signature_get_for(request.user, public_id, signature_id)
    return pdf_response(
        signature.stamped_file.name, f"signed-{signature.version.name}", inline=False
    )


@login_required
def signature(request):
    """«Электронная подпись» in the profile: create it (the seed's form) or see its status."""
    key = selectors.signature_key_for(request.user)
    agreement = services.agreement_current()
    form = SignatureKeyForm(request.POST or None)
    if request.method == "POST" and key is None and form.is_valid():
        try:
            services.signature_key_create(
                actor=request.user,
                snils=form.cleaned_data["snils"],
                password=form.cleaned_data["password"],
                agreement=agreement,
                accepted=form.cleaned_data["accept"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Электронная подпись создана."))
            return redirect("portal:documents:signature")
    return render(
        request,
        "portal/documents/signature.html",
        {"key": key, "agreement": agreement, "form": form},
        status=400 if form.errors else 200,
    )


def verify(request):
    """The public check: a code (typed, or from the stamp's QR) and optionally a file. Never shows
    the document; limited per client address."""
    result = None
    limited = False
    data = (
        request.POST
        if request.method == "POST"
        else (request.GET if "code" in request.GET else None)
    )
    form = VerifyForm(data, request.FILES or None)
    if data is not None and form.is_valid():
        if not rate_consume("signature_verify", request=request):
            limited = True
        else:
            upload = form.cleaned_data.get("file")
            file_bytes = None
            if upload:
                if upload.size > services.upload_max_bytes():
                    form.add_error("file", _("Файл слишком большой: не более 20 МБ."))
                else:
                    file_bytes = upload.read()
            if not form.errors:
                result = signature_verify(code=form.cleaned_data["code"], file_bytes=file_bytes)
    return render(
        request,
        "portal/documents/verify.html",
        {"form": form, "result": result, "limited": limited},
        status=429 if limited else (400 if form.errors else 200),
    )
