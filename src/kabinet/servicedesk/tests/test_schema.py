"""The `phone` kind of a request type's form: what people type, what is stored, what is shown."""

from __future__ import annotations

import importlib

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError

from kabinet.core.formats.display import NBSP
from kabinet.servicedesk.models import Request
from kabinet.servicedesk.schema import (
    clean_values,
    display_values,
    form_fields,
    serialise,
    validate_schema,
)
from kabinet.servicedesk.tests.factories import shipped_type

pytestmark = pytest.mark.django_db

SHOWN = f"+7{NBSP}(916){NBSP}123-45-67"


class _Type:
    """A request type as the schema functions read it (only `form_schema`)."""

    def __init__(self, schema):
        self.form_schema = schema


PHONE_TYPE = _Type([{"name": "phone", "label": "Телефон", "kind": "phone"}])


def _form(data):
    form_class = type("F", (forms.Form,), form_fields(PHONE_TYPE, None))
    return form_class(data=data)


@pytest.mark.parametrize("typed", ["8 916 123-45-67", "+7 (916) 123-45-67", "9161234567"])
def test_the_three_usual_spellings_are_stored_as_e164(typed):
    # given a form with a phone field, when a person types a number as people do
    form = _form({"phone": typed})
    # then it is accepted and stored in E.164
    assert form.is_valid(), form.errors
    assert serialise(PHONE_TYPE, form.cleaned_data, None) == {"phone": "+79161234567"}


@pytest.mark.parametrize("typed", ["12345", "+7 (916) 123-45", "+1 212 555 0100", "телефон"])
def test_a_wrong_number_is_refused_in_russian_and_stays_in_the_field(typed):
    # when a person types something that is not a Russian number
    form = _form({"phone": typed})
    # then the field says so in Russian and shows what was typed again
    assert not form.is_valid()
    assert form.errors["phone"] == [
        "Введите российский номер телефона, например +7 (916) 123-45-67."
    ]
    assert f'value="{typed}"' in str(form["phone"])


def test_the_input_is_a_tel_input():
    html = str(_form({})["phone"])
    assert 'type="tel"' in html
    assert 'inputmode="tel"' in html
    assert 'autocomplete="tel"' in html


def test_an_empty_optional_phone_is_not_stored():
    form = _form({"phone": ""})
    assert form.is_valid()
    assert serialise(PHONE_TYPE, form.cleaned_data, None) == {}


def test_a_service_is_held_to_the_same_rule():
    # given values a service is handed directly (not through the form)
    assert clean_values(PHONE_TYPE, {"phone": "8 (916) 123 45 67"}, None) == {
        "phone": "+79161234567"
    }
    with pytest.raises(ValidationError) as refused:
        clean_values(PHONE_TYPE, {"phone": "123"}, None)
    assert "российский номер телефона" in str(refused.value)


def test_the_number_is_shown_formatted_and_old_free_text_as_typed():
    assert display_values(PHONE_TYPE, {"phone": "+79161234567"}) == [("Телефон", SHOWN)]
    # a value typed before the field was checked is shown as it was
    assert display_values(PHONE_TYPE, {"phone": "доб. 123"}) == [("Телефон", "доб. 123")]


def test_the_schema_validator_accepts_the_phone_kind():
    validate_schema([{"name": "phone", "label": "Телефон", "kind": "phone"}])
    with pytest.raises(ValidationError) as refused:
        validate_schema([{"name": "phone", "label": "Телефон", "kind": "tel"}])
    assert "phone" in str(refused.value)  # the list of kinds names it


@pytest.mark.parametrize(
    "key", ["reception_request", "reception_appeal", "reception_violation", "reception_feedback"]
)
def test_the_shipped_reception_types_ask_for_a_phone(key):
    fields = {f["name"]: f for f in shipped_type(key).form_schema}
    assert fields["phone"]["kind"] == "phone"


def test_the_migration_brings_an_existing_deployment_in_step():
    migration = importlib.import_module("kabinet.servicedesk.migrations.0004_reception_phone_kind")
    # given a deployment whose reception still has the free-text phone and a request filed with it
    request_type = shipped_type("reception_appeal")
    for field in request_type.form_schema:
        if field["name"] == "phone":
            field["kind"] = "text"
    request_type.save(update_fields=["form_schema"])
    edited = shipped_type("reception_feedback")  # an administrator made it a plain text field
    edited.form_schema = [
        {**f, "label": "Контактный телефон", "kind": "textarea"} if f["name"] == "phone" else f
        for f in edited.form_schema
    ]
    edited.save(update_fields=["form_schema"])
    values = {"last_name": "Громов", "first_name": "Пётр", "subject": "Т", "text": "Т"}
    parsed = Request.objects.create(
        type=request_type,
        number="ИП-2026-000901",
        subject="Т",
        status="new",
        values={**values, "phone": "8 916 123-45-67"},
    )
    kept = Request.objects.create(
        type=request_type,
        number="ИП-2026-000902",
        subject="Т",
        status="new",
        values={**values, "phone": "вечером"},
    )
    # when the data migration runs
    migration.to_phone(apps, None)
    # then the shipped field is a phone, the administrator's edit is left alone,
    # a number it understands is stored as E.164 and anything else stays as typed
    request_type.refresh_from_db()
    edited.refresh_from_db()
    assert {f["name"]: f["kind"] for f in request_type.form_schema}["phone"] == "phone"
    assert {f["name"]: f["kind"] for f in edited.form_schema}["phone"] == "textarea"
    parsed.refresh_from_db()
    kept.refresh_from_db()
    assert parsed.values["phone"] == "+79161234567"
    assert kept.values["phone"] == "вечером"
    # and reversing makes it free text again
    migration.to_text(apps, None)
    request_type.refresh_from_db()
    assert {f["name"]: f["kind"] for f in request_type.form_schema}["phone"] == "text"
