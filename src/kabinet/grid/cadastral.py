"""The cadastral number (кадастровый номер) of a plot or a building: «АА:ББ:ВВВВВВ(В):Г…» — the
cadastral district (2 digits), area (2 digits), quarter (6 or 7 digits) and the object's number in
the quarter (1 or more digits), as Rosreestr writes it (e.g. 50:21:0110102:1234)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CADASTRAL_NUMBER = re.compile(r"^\d{2}:\d{2}:\d{6,7}:\d{1,7}$")


def validate_cadastral_number(value: str) -> None:
    """Refuse a value not in the cadastral number format (spaces around it are the form's to strip)."""
    if not CADASTRAL_NUMBER.match(str(value).strip()):
        raise ValidationError(
            _(
                "Кадастровый номер записывается как 50:21:0110102:1234 — четыре группы цифр "
                "через двоеточие: 2, 2, 6–7 и номер объекта."
            ),
            code="cadastral_number",
        )
