"""A request type's form, described as data, and the Django form built from it.

`form_schema` is a JSON list of fields:

    {"name": "serials", "label": "Серийные номера", "kind": "list", "required": true,
     "help": "Через точку с запятой: 123;456"}

kinds: text, textarea, number, date, select, multiselect (with "choices": [...]), list (values
separated by `;`), object (with "source": a key of `objects.register_object_source`), phone (a
Russian number as people type it, stored as E.164 `+79161234567`, shown `+7 (916) 123-45-67` — the
same parsing as phone logins, `core.formats.display`). A field named
`subject` becomes the request's subject. A text field may name a check a domain registered
(`"check": "cadastral_number"`, `register_value_check`); a number field may carry "min" and "max". The same form checks what a person types (portal) and what
a service is given (`clean_values`), so values stored in a request always match the schema.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kabinet.core.formats.display import format_phone, normalize_phone
from kabinet.servicedesk.calendar import validate_deadline, validate_deadline_rules
from kabinet.servicedesk.objects import object_source

KINDS = ("text", "textarea", "number", "date", "select", "multiselect", "list", "object", "phone")
NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
RESERVED = {"consent", "files", "captcha", "type"}

REQUIRED = gettext_lazy("Обязательное поле.")
PHONE_ERROR = gettext_lazy("Введите российский номер телефона, например +7 (916) 123-45-67.")


# Named checks a field may ask for (`"check": "cadastral_number"`): a domain registers its own in
# its AppConfig.ready(), so the engine checks values it knows nothing about.
_VALUE_CHECKS: dict[str, Callable[[str], None]] = {}


def register_value_check(name: str, check: Callable[[str], None]) -> None:
    """`check(value)` raises ValidationError with a Russian message for a wrong value."""
    _VALUE_CHECKS[name] = check


def value_check(name: str) -> Callable[[str], None] | None:
    return _VALUE_CHECKS.get(name)


def validate_schema(schema) -> None:
    """Refuse a schema the form builder cannot use (shown to administrators in the admin)."""
    if not isinstance(schema, list):
        raise ValidationError(_("Поля формы — это список."))
    seen = set()
    for index, field in enumerate(schema, start=1):
        if not isinstance(field, dict):
            raise ValidationError(_("Поле %(n)s: ожидается объект.") % {"n": index})
        name = field.get("name", "")
        if not NAME.match(str(name)) or name in RESERVED:
            raise ValidationError(
                _("Поле %(n)s: имя «%(name)s» — латинские буквы, цифры и _.")
                % {"n": index, "name": name}
            )
        if name in seen:
            raise ValidationError(_("Поле «%(name)s» повторяется.") % {"name": name})
        seen.add(name)
        if not field.get("label"):
            raise ValidationError(_("Поле «%(name)s»: нет подписи.") % {"name": name})
        kind = field.get("kind")
        if kind not in KINDS:
            raise ValidationError(
                _("Поле «%(name)s»: вид «%(kind)s» не из списка: %(kinds)s.")
                % {"name": name, "kind": kind, "kinds": ", ".join(KINDS)}
            )
        if field.get("check") and kind != "text":
            raise ValidationError(
                _("Поле «%(name)s»: проверка — только для текста.") % {"name": name}
            )
        if kind in ("select", "multiselect") and not field.get("choices"):
            raise ValidationError(_("Поле «%(name)s»: нет вариантов выбора.") % {"name": name})
        if kind == "object" and not field.get("source"):
            raise ValidationError(_("Поле «%(name)s»: не указан источник.") % {"name": name})
        if field.get("check") and field["check"] not in _VALUE_CHECKS:
            raise ValidationError(
                _("Поле «%(name)s»: неизвестная проверка «%(check)s».")
                % {"name": name, "check": field["check"]}
            )


def validate_workflow(workflow) -> None:
    if not isinstance(workflow, dict) or not workflow.get("statuses"):
        raise ValidationError(_("Нужен список статусов."))
    keys = [s.get("key") for s in workflow["statuses"] if isinstance(s, dict)]
    if len(keys) != len(workflow["statuses"]) or not all(keys):
        raise ValidationError(_("У каждого статуса должны быть key и label."))
    if len(set(keys)) != len(keys):
        raise ValidationError(_("Коды статусов повторяются."))
    for ref in ("initial", "close_to", "reopen_to"):
        if workflow.get(ref) and workflow[ref] not in keys:
            raise ValidationError(
                _("«%(ref)s» указывает на неизвестный статус «%(key)s».")
                % {"ref": ref, "key": workflow[ref]}
            )
    for source, targets in (workflow.get("transitions") or {}).items():
        for key in [source, *targets]:
            if key not in keys:
                raise ValidationError(
                    _("Переход через неизвестный статус «%(key)s».") % {"key": key}
                )
    for status in workflow["statuses"]:
        error = validate_deadline(status.get("deadline")) or validate_deadline_rules(
            status.get("deadline_rules")
        )
        if error:
            raise ValidationError(
                _("Статус «%(key)s»: %(error)s") % {"key": status["key"], "error": error}
            )
        if status.get("owner") not in (None, "", "staff", "customer", "both"):
            raise ValidationError(
                _("Статус «%(key)s»: ответственный — staff, customer или both.")
                % {"key": status["key"]}
            )
    for key in workflow.get("stages") or []:
        if key not in keys:
            raise ValidationError(_("Этап «%(key)s» — неизвестный статус.") % {"key": key})
    for source, spec in (workflow.get("on_signed") or {}).items():
        if source not in keys or not isinstance(spec, dict) or spec.get("to") not in keys:
            raise ValidationError(
                _('«on_signed»: статус «%(key)s» → {"kind": ..., "to": известный статус}.')
                % {"key": source}
            )
    for source, target in (workflow.get("on_payment") or {}).items():
        if source not in keys or target not in keys:
            raise ValidationError(
                _("«on_payment» указывает на неизвестный статус «%(key)s».")
                % {"key": source if source not in keys else target}
            )


def validate_documents(documents) -> None:
    """The type's named documents: a list of {"name", "label", "required", "help"}."""
    if not isinstance(documents, list):
        raise ValidationError(_("Документы — это список."))
    seen = set()
    for index, spec in enumerate(documents, start=1):
        name = spec.get("name", "") if isinstance(spec, dict) else ""
        if not NAME.match(str(name)) or name in seen:
            raise ValidationError(
                _("Документ %(n)s: имя — латинские буквы, цифры и _, без повторов.") % {"n": index}
            )
        seen.add(name)
        if not spec.get("label"):
            raise ValidationError(_("Документ «%(name)s»: нет подписи.") % {"name": name})


class ValueListField(forms.CharField):
    """Values separated by `;` (serial numbers «123;456»): a list of trimmed, non-empty strings."""

    def to_python(self, value):
        if isinstance(value, list | tuple):
            value = ";".join(str(v) for v in value)
        text = super().to_python(value)
        return [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "; ".join(str(v) for v in value)
        return value

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


class PhoneField(forms.CharField):
    """A Russian phone number as people type it («8 916 123-45-67», «+7 (916) 123-45-67»,
    «9161234567»), cleaned to E.164 by the helper phone logins use; a bound form shows what was
    typed again when it is refused."""

    widget = forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"})

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return ""
        try:
            return normalize_phone(value)
        except ValueError:
            raise ValidationError(PHONE_ERROR, code="invalid_phone") from None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _field_for(spec: dict, actor) -> forms.Field | None:
    kind = spec["kind"]
    common = {
        "label": spec["label"],
        "required": bool(spec.get("required")),
        "help_text": spec.get("help", ""),
        "error_messages": {"required": REQUIRED},
    }
    if kind == "text":
        check = value_check(spec.get("check", ""))
        return forms.CharField(
            max_length=int(spec.get("max_length", 300)),
            validators=[check] if check else [],
            **common,
        )
    if kind == "textarea":
        return forms.CharField(
            max_length=int(spec.get("max_length", 10000)),
            widget=forms.Textarea(attrs={"rows": 6}),
            **common,
        )
    if kind == "number":
        return forms.DecimalField(
            max_digits=18,
            decimal_places=4,
            localize=True,
            min_value=Decimal(str(spec["min"])) if spec.get("min") is not None else None,
            max_value=Decimal(str(spec["max"])) if spec.get("max") is not None else None,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            **common,
        )
    if kind == "date":
        return forms.DateField(
            widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}), **common
        )
    if kind in ("select", "multiselect"):
        choices = [(c, c) for c in spec.get("choices", [])]
        if kind == "select":
            return forms.ChoiceField(choices=[("", "—"), *choices], **common)
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == "phone":
        return PhoneField(**common)
    if kind == "list":
        common["help_text"] = spec.get("help") or _("Несколько значений — через точку с запятой.")
        return ValueListField(max_length=2000, **common)
    if kind == "object":
        source = object_source(spec.get("source", ""))
        if source is None or actor is None or not actor.is_authenticated:
            return None  # no domain offers these objects in this deployment
        return ObjectChoiceField(
            source=source, actor=actor, choices=[("", "—"), *source.choices_for(actor)], **common
        )
    return None


class ObjectChoiceField(forms.ChoiceField):
    """An object of a registered source: the source's latest ones are offered as choices, and any
    other the source gives this person (`get_for`) is accepted too — a claim names a shipment
    found with supply's search, older than the list offers."""

    def __init__(self, *, source, actor, **kwargs):
        self.source, self.actor = source, actor
        super().__init__(**kwargs)

    def valid_value(self, value) -> bool:
        if super().valid_value(value):
            return True
        try:
            self.source.get_for(self.actor, str(value))
        except (LookupError, Http404, ValueError):
            return False
        return True


def _object_label(source, actor, value) -> str:
    label = dict(source.choices_for(actor)).get(value)
    if label is None:
        try:
            label = source.get_for(actor, str(value))
        except (LookupError, Http404, ValueError):
            label = value
    return str(label)


def form_fields(request_type, actor) -> dict[str, forms.Field]:
    fields = {}
    for spec in request_type.form_schema or []:
        field = _field_for(spec, actor)
        if field is not None:
            fields[spec["name"]] = field
    return fields


def serialise(request_type, cleaned: dict, actor) -> dict:
    """Cleaned form values as JSON: dates ISO, numbers as strings, objects with their label."""
    values = {}
    for spec in request_type.form_schema or []:
        name = spec["name"]
        if name not in cleaned:
            continue
        value = cleaned[name]
        if value in (None, "", []):
            continue
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = format(value.normalize(), "f")
        elif spec["kind"] == "object":
            source = object_source(spec["source"])
            label = _object_label(source, actor, value) if source else value
            value = {"id": value, "label": str(label)}
        values[name] = value
    return values


def clean_values(request_type, values: dict, actor) -> dict:
    """Check `values` (JSON as stored) against the type's schema; return them normalised.

    Raises ValidationError with a message per field: a service never stores what the form would
    have refused, whoever calls it."""
    fields = form_fields(request_type, actor)
    data = {}
    for name, value in (values or {}).items():
        if isinstance(value, dict) and "id" in value:
            value = value["id"]
        data[name] = value
    unknown = set(data) - set(fields)
    form_class = type("ValuesForm", (forms.Form,), dict(fields))
    form = form_class(data={k: v for k, v in data.items() if k in fields})
    if not form.is_valid():
        raise ValidationError(dict(form.errors.items()))
    if unknown:
        raise ValidationError(
            _("Неизвестные поля: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    return serialise(request_type, form.cleaned_data, actor)


def display_values(request_type, values: dict) -> list[tuple[str, str]]:
    """(label, text) pairs to show a request's fields, in the schema's order."""
    rows = []
    for spec in request_type.form_schema or []:
        value = (values or {}).get(spec["name"])
        if value in (None, "", []):
            continue
        if spec["kind"] == "date":
            with contextlib.suppress(TypeError, ValueError):
                value = date.fromisoformat(value).strftime("%d.%m.%Y")
        elif spec["kind"] == "number":
            value = str(value).replace(".", ",")
        elif spec["kind"] == "phone":
            value = format_phone(str(value))
        elif isinstance(value, dict):
            value = value.get("label") or value.get("id")
        elif isinstance(value, list):
            value = "; ".join(str(v) for v in value)
        rows.append((spec["label"], str(value)))
    return rows
