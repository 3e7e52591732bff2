"""The staff lists that export to XLSX through the kernel's one export job (`core/exports.py`):
every list declared in `backoffice/list_specs.py`, each with the page's own selector and filters,
so the file holds what the page shows, every page of it."""

from __future__ import annotations

from kabinet.backoffice.list_specs import SPECS
from kabinet.backoffice.lists import register_exports


def register() -> None:
    register_exports(SPECS)
