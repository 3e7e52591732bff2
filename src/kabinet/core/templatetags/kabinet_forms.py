"""Render form widgets with Bootstrap classes and the ARIA links screen readers need."""

from django import template

register = template.Library()

_CHECK_WIDGETS = {"checkbox", "radioselect", "checkboxselectmultiple"}
_SELECT_WIDGETS = {"select", "selectmultiple", "nullbooleanselect"}
_FILE_WIDGETS = {"file", "clearablefile", "multiplefile"}


@register.filter
def file_not_kept(field) -> bool:
    """True when the person chose a file for `field` but the form came back with errors: browsers
    cannot refill a file input, so the page must say the file has to be chosen again."""
    form = field.form
    return bool(
        field.widget_type in _FILE_WIDGETS
        and form.is_bound
        and form.errors
        and form.files
        and any(form.files.getlist(field.html_name))
    )


def _described_by(field) -> list[str]:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if file_not_kept(field):
        ids.append(f"{field.auto_id}_notkept")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    return ids


@register.filter
def widget(field):
    """{{ form.email|widget }} — the input with its classes, aria-describedby and aria-invalid."""
    kind = field.widget_type
    if kind in _CHECK_WIDGETS:
        css = "form-check-input"
    elif kind in _SELECT_WIDGETS:
        css = "form-select"
    elif kind == "color":
        css = "form-control form-control-color"
    else:
        css = "form-control"
    attrs = {"class": css + (" is-invalid" if field.errors else "")}
    described = _described_by(field)
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    if field.field.required and kind not in _CHECK_WIDGETS:
        attrs["aria-required"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def choice_input(choice, field):
    """One radio/checkbox of a multi-choice field, linked to the field's help and error texts."""
    attrs = {"class": "form-check-input" + (" is-invalid" if field.errors else "")}
    described = _described_by(field)
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return choice.tag() if not attrs else _tag_with_attrs(choice, attrs)


def _tag_with_attrs(choice, attrs):
    choice.data["attrs"] = {**choice.data.get("attrs", {}), **attrs}
    return choice.tag()
