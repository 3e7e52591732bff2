"""«Загрузка из файла»: accounts, meters and bills from CSV/XLSX for deployments without an
integration (the engine is the kernel's, `core/imports.py`)."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import NavEntry

NAV = [
    NavEntry(
        "backoffice",
        _("Загрузка из файла"),
        "backoffice:import_list",
        order=820,
        section=_("Настройки портала"),
        permission="core.run_import",
    ),
]
