"""`@kept_page`: a customer page served from the page cache while its data is unchanged
(core/pagecache.py says how the data versions work).

Kept: a plain GET (no query string, not htmx) of a signed-in person with no pending message,
answered 200 (or 202) with HTML or a stored file and no cookie set by the view. The key names the session,
so nothing one session sees is served to another; the shell key names the person, the shell
version, the active customer and account, the language, the display mode and the modules.
"""

from __future__ import annotations

import logging
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

from kabinet.core import pagecache
from kabinet.core.downloads import stored_file_response
from kabinet.customers.selectors import customers_of_request
from kabinet.portal.context_processors import shell_key

logger = logging.getLogger(__name__)


def _keepable(request) -> bool:
    return (
        settings.KABINET_PAGE_CACHE
        and request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and not request.headers.get("HX-Request")
        and request.user.is_authenticated
        and bool(request.session.session_key)
        and not len(get_messages(request))
    )


def _key(request) -> str:
    impersonation = getattr(request, "impersonation", None)
    return pagecache.page_key(
        [
            request.path,
            request.session.session_key,
            shell_key(request),
            f"{impersonation.pk}:{impersonation.allow_writes}" if impersonation else "",
            timezone.localdate().isoformat(),
        ]
    )


def _served(request, entry: pagecache.Entry):
    if entry.stored is not None:
        name, filename, content_type = entry.stored
        if not default_storage.exists(name):
            return None
        return stored_file_response(name, filename, content_type)
    body = entry.body
    placeholder = pagecache.csrf_placeholder().encode()
    if placeholder in body:
        body = body.replace(placeholder, get_token(request).encode())
    response = HttpResponse(body, status=entry.status)
    for header, value in entry.headers:
        response[header] = value
    return response


def _entry(response, versions: dict[str, str]) -> pagecache.Entry | None:
    # 202: «Квитанция готовится» until the task worker has stored the receipt (it bumps then)
    if response.status_code not in (200, 202) or response.cookies:
        return None
    stored = getattr(response, "kabinet_stored", None)
    if stored is not None:
        return pagecache.Entry(versions=versions, stored=stored)  # 200: the file
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return None
    headers = tuple((h, v) for h, v in response.items() if h.lower() != "content-length")
    return pagecache.Entry(
        versions=versions, status=response.status_code, headers=headers, body=response.content
    )


def kept_page(view):
    """Serve the view's page from the page cache while the data versions it was rendered at hold;
    else render it (with the CSRF placeholder), keep it and answer it with the real token."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _keepable(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        try:
            entry = pagecache.page_get(key)
            if entry is not None:
                response = _served(request, entry)
                if response is not None:
                    return response
            # the versions are read before the data, so a change committed meanwhile is not hidden
            scopes = {pagecache.GLOBAL, f"u{request.user.pk}"}
            scopes |= {f"c{customer.pk}" for customer in customers_of_request(request)}
            versions = pagecache.versions(scopes)
        except pagecache.UNAVAILABLE:
            # the page cache is away (Redis down, its table not made yet): the page as if uncached
            logger.warning("page cache unavailable", exc_info=True)
            return view(request, *args, **kwargs)
        request._kabinet_page_caching = True
        try:
            response = view(request, *args, **kwargs)
        finally:
            request._kabinet_page_caching = False
        fresh = _entry(response, versions)
        if fresh is None or len(get_messages(request)):
            return response
        try:
            pagecache.page_store(key, fresh)
        except pagecache.UNAVAILABLE:
            logger.warning("page cache unavailable", exc_info=True)
        if fresh.stored is None:
            return _served(request, fresh)
        return response

    return wrapper
