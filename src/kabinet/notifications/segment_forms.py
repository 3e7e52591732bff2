"""The segment picker of the back office's forms (a notice's recipients, a survey's audience):
a select of the registered segments and, for each one that takes a parameter, its own field — a
select when the segment lists its values (customer types), else a text field (a settlement, a
request number). Without JS every parameter field is shown, each labelled with its segment (with
JS, `static/kabinet/js/show_if.js` shows only the chosen segment's); the
server uses and validates only the chosen segment's, with Russian messages, and keeps what was
typed in the others.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import module_enabled
from kabinet.core.selectors import modules_enabled
from kabinet.notifications.segments import Segment, segment_get, segments


def pickable_segments() -> list[Segment]:
    """The segments staff may pick: registered by an enabled module, tests' own left out."""
    return [
        segment
        for segment in segments()
        if not segment.key.startswith("tests.")
        and (not segment.module or module_enabled(segment.module, modules_enabled()))
    ]


def param_field_name(key: str) -> str:
    return "segment_param__" + key.replace(".", "__")


def add_segment_fields(form: forms.Form, *, required: bool = True) -> None:
    """Put `segment` and the parameter fields into `form.fields` (call in `__init__`)."""
    form.fields["segment"] = forms.ChoiceField(
        label=_("Кому"),
        required=required,
        choices=[("", _("— выберите —"))] + [(s.key, str(s.label)) for s in pickable_segments()],
    )
    for segment in pickable_segments():
        if not segment.param_label:
            continue
        label = f"{segment.param_label} ({_('для «%(segment)s»') % {'segment': segment.label}})"
        field: forms.Field
        if segment.choices:
            field = forms.ChoiceField(
                label=label,
                required=False,
                choices=[("", _("— выберите —")), *segment.choices()],
            )
        else:
            field = forms.CharField(label=label, required=False, max_length=200)
        # static/kabinet/js/show_if.js shows it only while its segment is chosen
        field.widget.attrs["data-show-if"] = "segment"
        field.widget.attrs["data-show-if-value"] = segment.key
        form.fields[param_field_name(segment.key)] = field


def clean_segment(form: forms.Form, data: dict) -> tuple[str, str] | None:
    """The chosen `(segment, parameter)`, or None after adding the Russian error to the field."""
    key = data.get("segment") or ""
    if not key:
        return None
    segment = segment_get(key)
    if segment is None:
        form.add_error("segment", _("Выберите, кому отправить."))
        return None
    if not segment.param_label:
        return key, ""
    name = param_field_name(key)
    value = (data.get(name) or "").strip()
    if not value:
        form.add_error(name, _("Укажите «%(what)s».") % {"what": segment.param_label})
        return None
    return key, value


def segment_initial(key: str, param: str) -> dict:
    """The form's initial data for a stored segment and parameter."""
    initial = {"segment": key}
    if key and param:
        initial[param_field_name(key)] = param
    return initial
