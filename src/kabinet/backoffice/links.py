"""The staff face's pages that lower layers link to (`core.links.url_for`)."""

from django.urls import reverse

from kabinet.core.links import link_register


def register() -> None:
    link_register("staff_home", lambda: reverse("backoffice:home"))
    link_register("impersonation_stop", lambda: reverse("backoffice:impersonation_stop"))
