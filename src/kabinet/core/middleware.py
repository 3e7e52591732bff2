"""Cross-cutting request handling of the kernel."""

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.cache import patch_vary_headers

from kabinet.core.modules import module_enabled, modules_for_namespace


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
            if modules and not module_enabled(modules, settings.KABINET_MODULES):
                raise Http404
        return


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
