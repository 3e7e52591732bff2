"""Health endpoints for load balancers: /healthz (the process answers), /readyz (its dependencies)."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from kabinet.core.health import readiness


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    report = readiness()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
