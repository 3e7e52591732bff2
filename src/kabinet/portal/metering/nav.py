"""«Показания»: entering readings and their history (module «metering»), and the dashboard's
panel of meters waiting for a reading."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import DashboardTile, NavEntry
from kabinet.portal.metering.views import readings_tile

_READINGS = _("Показания")

NAV = [
    NavEntry(
        "portal",
        _("Ввод показаний"),
        "portal:metering:enter",
        module="metering",
        section=_READINGS,
        order=300,
        icon="speedometer",
    ),
    NavEntry(
        "portal",
        _("История показаний"),
        "portal:metering:history_active",
        module="metering",
        section=_READINGS,
        order=310,
        icon="graph",
    ),
]
URL_NAMESPACES = {"metering": "metering"}
TILES = [DashboardTile("portal/metering/readings_tile.html", "metering", readings_tile, 20)]
