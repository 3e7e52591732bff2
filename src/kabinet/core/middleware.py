"""Cross-cutting request handling of the kernel."""

from django.conf import settings
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers

from kabinet.core.modules import module_enabled, modules_for_namespace
from kabinet.core.selectors import modules_enabled
from kabinet.core.uploads import UPLOAD_FORM_OVERHEAD, upload_max_bytes_for


class ModuleGateMiddleware:
    """URLs of a module that this deployment has switched off answer 404, as if they did not exist
    (a namespace of several modules stays open while any one of them is on)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None:
            return
        for namespace in match.namespaces:
            modules = modules_for_namespace(namespace)
            if modules and not module_enabled(modules, modules_enabled()):
                raise Http404
        return


class QueryNulMiddleware:
    """A NUL character in the query string is dropped before any view reads it: PostgreSQL refuses
    one in a query's text, so `?q=%00` on a list was a 500 (forms refuse a NUL in what they take;
    a view's own filter read from the query string does not go through a form). The integration
    API (`/api/`) drops NULs itself after its schema checked the input, so it is left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if ("%00" in query or "\x00" in query) and not request.path_info.startswith("/api/"):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)


class LanguageMiddleware:
    """Russian unless the person chose English with the switch (a cookie).

    The browser's Accept-Language is deliberately ignored: the customers, their documents and the
    staff are Russian, and an English-language browser must not turn the portal English by itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        patch_vary_headers(response, ("Cookie",))
        return response


class UploadLimitMiddleware:
    """A multipart body larger than the view allows (see `core.uploads.upload_limit`) is refused
    with 413 and a page in words before anything reads it — so before CSRF's check, which parses
    the body. The announced Content-Length is what counts: Django reads no more than that."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):

        if not request.content_type.startswith("multipart/"):
            return None
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = upload_max_bytes_for(view_func)
        if length <= limit + UPLOAD_FORM_OVERHEAD:
            return None
        return render(
            request,
            "upload_too_large.html",
            {"limit_mb": max(1, limit // (1024 * 1024)), "back_url": request.path},
            status=413,
        )
