"""The portal's URLs plus the floor: a bare Django page with the same login (session + user: two
queries) rendering a 20-row table — what any signed-in Django page costs before its own work."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

FLOOR = engines["django"].from_string(
    "<!doctype html><html lang=ru><title>floor</title><table><caption>{{ user.email }}</caption>"
    "{% for n in rows %}<tr><td>{{ n }}</td><td>строка {{ n }}</td></tr>{% endfor %}</table>"
)


@login_required
def floor(request):
    return HttpResponse(FLOOR.render({"user": request.user, "rows": range(20)}, request))


urlpatterns = [path("__floor__/", floor), path("", include("kabinet.config.urls"))]
