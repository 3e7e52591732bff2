"""The server error page: «temporarily unavailable» (503) when the database is what failed.

Django calls `handler500` from inside the `except` block of the failed request, so the exception is
still at hand. A lost or refused database connection (a PostgreSQL restart, a failover, the network)
is not a bug of the page: the person gets a 503 in Russian saying to try again shortly, with
`Retry-After` for browsers, proxies and monitors, and the load balancer sees a temporary failure.
Every other error stays Django's own 500 page. Neither page touches the database."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 15


def database_unavailable() -> bool:
    """The exception being handled is a lost or refused database connection."""
    return isinstance(sys.exception(), DATABASE_UNAVAILABLE)


@requires_csrf_token
def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """Django's `server_error`, except for a database that is unavailable: 503 + Retry-After."""
    if database_unavailable():
        body = loader.get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.get_template(template_name).render())
