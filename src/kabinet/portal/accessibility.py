"""The version for the visually impaired (версия для слабовидящих), ГОСТ Р 52872-2019 practice.

Preferences live in a cookie (per browser) and, for a signed-in user, on the account (per user), so
the choice follows the person to another browser. The middleware resolves them for every request;
the base template turns them into classes on <html>, and templates that show images honour
`images`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from django.utils.translation import gettext_lazy as _

FONT_SIZES = {"normal": _("Обычный"), "large": _("Крупный"), "xlarge": _("Очень крупный")}
SCHEMES = {
    "bw": _("Чёрным по белому"),
    "wb": _("Белым по чёрному"),
    "blue": _("Тёмно-синим по голубому"),
}
IMAGES = {"on": _("Показывать"), "off": _("Не показывать")}
SPACINGS = {"normal": _("Обычный"), "wide": _("Увеличенный")}

CHOICES = {"font": FONT_SIZES, "scheme": SCHEMES, "images": IMAGES, "spacing": SPACINGS}


@dataclass(frozen=True)
class Preferences:
    enabled: bool = False
    font: str = "large"
    scheme: str = "bw"
    images: str = "on"
    spacing: str = "normal"

    @property
    def html_classes(self) -> str:
        if not self.enabled:
            return ""
        return (
            f"a11y a11y-font-{self.font} a11y-scheme-{self.scheme} "
            f"a11y-images-{self.images} a11y-spacing-{self.spacing}"
        )

    @property
    def show_images(self) -> bool:
        return not self.enabled or self.images == "on"

    def with_changes(self, **changes: str | bool) -> Preferences:
        """Apply only valid changes; anything else is ignored (the input comes from the browser)."""
        clean: dict[str, str | bool] = {}
        for key, value in changes.items():
            if key == "enabled":
                clean["enabled"] = value in (True, "1", "on", "true")
            elif key in CHOICES and value in CHOICES[key]:
                clean[key] = value
        return replace(self, **clean)

    def to_cookie(self) -> str:
        return "|".join(
            ["1" if self.enabled else "0", self.font, self.scheme, self.images, self.spacing]
        )

    @classmethod
    def from_cookie(cls, raw: str | None) -> Preferences | None:
        if not raw:
            return None
        parts = raw.split("|")
        if len(parts) != 5:
            return None
        enabled, font, scheme, images, spacing = parts
        return cls().with_changes(
            enabled=enabled, font=font, scheme=scheme, images=images, spacing=spacing
        )

    def to_dict(self) -> dict[str, str]:
        return {
            k: str(v) if not isinstance(v, bool) else ("1" if v else "0")
            for k, v in asdict(self).items()
        }

    @classmethod
    def from_dict(cls, data: dict | None) -> Preferences | None:
        if not data:
            return None
        return cls().with_changes(**{k: v for k, v in data.items() if isinstance(v, str | bool)})
