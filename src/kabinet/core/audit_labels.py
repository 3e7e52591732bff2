"""The registry of audit event names: what each `action` code of the audit log means, in words.

The audit log stores machine codes (`login.failed`, `servicedesk.note_add`); people read labels.
Every app that records events registers a label for each code it writes, in `AppConfig.ready()`:
`register_audit_labels({"login.failed": _("Неудачная попытка входа")})`. The staff audit log and a
customer's own security log both read `audit_label(code)`; a code nobody registered shows as itself.
A test scans the source for `audit_record(action=...)` and fails on a code without a label.

Imported at ready() time; it must not import models.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise

_labels: dict[str, str | Promise] = {}


def register_audit_labels(labels: Mapping[str, str | Promise]) -> None:
    """Declare labels for audit codes (idempotent; a later registration of a code wins)."""
    _labels.update(labels)


def audit_label(code: str) -> str:
    """The code's label in the active language, or the code itself when none is registered."""
    label = _labels.get(code)
    return str(label) if label is not None else code


def audit_labelled_codes() -> set[str]:
    return set(_labels)


def core_audit_labels() -> dict[str, str | Promise]:
    """The kernel's own codes (registered by CoreConfig.ready)."""
    from django.utils.translation import gettext_lazy as _

    return {
        "organisation.update": _("Изменён профиль организации"),
        "legal_document.publish": _("Опубликована редакция юридического документа"),
        "demo_mailbox.view": _("Просмотрена демо-почта"),
        "demo_sms.view": _("Просмотрены демо-SMS"),
        "import.uploaded": _("Загружен файл для импорта"),
        "import.checked": _("Файл импорта отправлен на проверку"),
        "import.started": _("Запущен импорт из файла"),
        "import.done": _("Импорт из файла завершён"),
        "export.requested": _("Запрошена выгрузка списка в XLSX"),
        "module.switch": _("Модуль портала включён или выключен"),
    }
