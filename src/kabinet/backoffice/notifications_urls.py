"""Staff URLs of notifications (included into the back office's namespace)."""

from django.urls import path

from kabinet.backoffice import notifications_views as views

urlpatterns = [
    path("inbound/", views.inbound_list, name="inbound_list"),
    path("inbound/<uuid:public_id>/", views.inbound_detail, name="inbound_detail"),
    path("inbound/<uuid:public_id>/eml/", views.inbound_download, name="inbound_download"),
    path("inbound/<uuid:public_id>/resolve/", views.inbound_resolve, name="inbound_resolve"),
]


def register_navigation() -> None:
    """Called from BackofficeConfig.ready()."""
    from django.utils.translation import gettext_lazy as _

    from kabinet.core.modules import NavEntry, register_nav

    register_nav(
        NavEntry(
            "backoffice",
            _("Карантин входящей почты"),
            "backoffice:inbound_list",
            order=700,
            section=_("Почта"),
            permission="notifications.view_inboundmessage",
        )
    )
