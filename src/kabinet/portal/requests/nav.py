"""Requests under the «servicedesk» module, the public reception under «reception», and the
dashboard's panel of open requests."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import DashboardTile, NavEntry
from kabinet.portal.requests.views import requests_tile

NAV = [
    NavEntry(
        "portal",
        _("Заявки и обращения"),
        "portal:servicedesk:request_list",
        module="servicedesk",
        order=400,
        icon="chat",
    ),
    NavEntry(
        "portal",
        _("Интернет-приёмная"),
        "portal:reception:start",
        module="reception",
        order=410,
        icon="envelope",
    ),
]
URL_NAMESPACES = {"servicedesk": "servicedesk", "reception": "reception"}
TILES = [DashboardTile("portal/servicedesk/requests_tile.html", "servicedesk", requests_tile, 30)]
