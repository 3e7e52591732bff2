"""`/api/v1/`: the integration face. OpenAPI 3 at `/api/v1/openapi.json`; no docs page (Ninja's
loads Swagger UI from a CDN, and the portal's CSP stays strict) — docs/api.md is the guide."""

from django.http import Http404, HttpRequest
from django.urls import path
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from kabinet.api import integration, me


class Utf8JSONRenderer(JSONRenderer):
    """UTF-8 JSON as it is (`"Лицевой счёт"`, not `"\\u041b…"`): integrators read the Russian
    messages in their logs as they are; the Content-Type says `charset=utf-8`."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=Utf8JSONRenderer(),
    title="Kabinet API",
    version="1",
    description="Интеграция с учётной системой и личные токены клиентов. См. docs/api.md.",
    urls_namespace="api-v1",
    docs_url=None,
)
api.add_router("/", integration.router)
api.add_router("/me", me.router)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404):
    return api.create_response(request, {"detail": "Не найдено."}, status=404)


urlpatterns = [path("", api.urls)]
