"""Password rules of the deployment, in words a person understands next to the field."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

_CLASSES = {
    "lower": (re.compile(r"[a-z]"), gettext_lazy("строчные латинские буквы")),
    "upper": (re.compile(r"[A-Z]"), gettext_lazy("заглавные латинские буквы")),
    "digit": (re.compile(r"[0-9]"), gettext_lazy("цифры")),
}


class CharacterClassesValidator:
    """Require a minimum length and each configured character class (docs/domain.md «Reference portals: signing in»: «не короче 8 символов,
    латинские буквы в нижнем и верхнем регистрах, а также цифры»).

    Settings: `KABINET_PASSWORD_MIN_LENGTH` (default 8), `KABINET_PASSWORD_REQUIRE_CLASSES`
    (subset of lower, upper, digit; default all three).
    """

    def __init__(self, min_length: int | None = None, classes: tuple[str, ...] | None = None):
        self._min_length = min_length
        self._classes = classes

    @property
    def min_length(self) -> int:
        if self._min_length is not None:
            return self._min_length
        return int(getattr(settings, "KABINET_PASSWORD_MIN_LENGTH", 8))

    @property
    def classes(self) -> tuple[str, ...]:
        configured = self._classes
        if configured is None:
            configured = tuple(
                getattr(settings, "KABINET_PASSWORD_REQUIRE_CLASSES", ("lower", "upper", "digit"))
            )
        unknown = set(configured) - set(_CLASSES)
        if unknown:
            raise ValueError(f"Unknown password character classes: {sorted(unknown)}")
        return tuple(configured)

    def validate(self, password: str, user=None) -> None:
        missing = [key for key in self.classes if not _CLASSES[key][0].search(password)]
        if len(password) < self.min_length or missing:
            raise ValidationError(self.get_help_text(), code="password_policy")

    def get_help_text(self) -> str:
        text = ngettext(
            "Пароль должен быть не короче %(n)s символа",
            "Пароль должен быть не короче %(n)s символов",
            self.min_length,
        ) % {"n": self.min_length}
        if self.classes:
            names = [str(_CLASSES[key][1]) for key in self.classes]
            if len(names) > 1:
                listed = ", ".join(names[:-1]) + " " + _("и") + " " + names[-1]
            else:
                listed = names[0]
            text += " " + _("и содержать %(classes)s") % {"classes": listed}
        return text + "."


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    """Django's check, with a message that reads in Russian: Django puts the field's verbose name
    in the nominative («слишком похож на электронная почта»); here it is «на ваш адрес электронной
    почты», «на вашу фамилию»."""

    _WHAT = {
        "email": gettext_lazy("ваш адрес электронной почты"),
        "first_name": gettext_lazy("ваше имя"),
        "last_name": gettext_lazy("вашу фамилию"),
        "patronymic": gettext_lazy("ваше отчество"),
        "username": gettext_lazy("ваш логин"),
    }

    def validate(self, password, user=None) -> None:
        try:
            super().validate(password, user)
        except ValidationError as error:
            verbose = (error.params or {}).get("verbose_name", "")
            what = next(
                (
                    phrase
                    for attribute, phrase in self._WHAT.items()
                    if verbose in (attribute, _verbose_name(user, attribute))
                ),
                None,
            )
            if what is None:
                raise
            raise ValidationError(
                _("Пароль слишком похож на %(what)s.") % {"what": what},
                code="password_too_similar",
            ) from error


def _verbose_name(user, attribute: str) -> str:
    try:
        return str(user._meta.get_field(attribute).verbose_name)
    except Exception:  # FieldDoesNotExist, or no user
        return ""
