"""The shipped «Претензия» request type, extended for supply (issue 13): a claim started from a
shipment names the lot and the claimed quantity, and may be a documents error. Photos and a lab
report are the request's attachments (PDF, JPEG, PNG). Reversible: the fields and the reason go."""

from django.db import migrations

DOCUMENTS_ERROR = "Ошибка в первичных документах"
ADDED = [
    {
        "name": "lot",
        "label": "Плавка или партия",
        "kind": "text",
        "help": "Для претензии по качеству — номер из сертификата качества.",
    },
    {
        "name": "quantity",
        "label": "Количество по претензии, т",
        "kind": "number",
        "help": "Недостача или забракованное количество, до трёх знаков после запятой.",
    },
]
FILES_HELP = "Приложите фото дефекта, протокол лабораторных испытаний или акт приёмки."


def extend(apps, schema_editor):
    RequestType = apps.get_model("servicedesk", "RequestType")
    claim = RequestType.objects.filter(key="claim").first()
    if claim is None:
        return
    schema = [field for field in claim.form_schema if field["name"] not in {"lot", "quantity"}]
    for field in schema:
        if field["name"] == "reason" and DOCUMENTS_ERROR not in field.get("choices", []):
            field["choices"] = [*field["choices"], DOCUMENTS_ERROR]
        if field["name"] == "text" and not field.get("help"):
            field["help"] = FILES_HELP
    at = next((i + 1 for i, f in enumerate(schema) if f["name"] == "shipment"), len(schema))
    claim.form_schema = schema[:at] + ADDED + schema[at:]
    claim.save(update_fields=["form_schema"])


def restore(apps, schema_editor):
    RequestType = apps.get_model("servicedesk", "RequestType")
    claim = RequestType.objects.filter(key="claim").first()
    if claim is None:
        return
    schema = [field for field in claim.form_schema if field["name"] not in {"lot", "quantity"}]
    for field in schema:
        if field["name"] == "reason":
            field["choices"] = [c for c in field.get("choices", []) if c != DOCUMENTS_ERROR]
        if field["name"] == "text" and field.get("help") == FILES_HELP:
            del field["help"]
    claim.form_schema = schema
    claim.save(update_fields=["form_schema"])


class Migration(migrations.Migration):
    dependencies = [
        ("supply", "0001_supply_initial"),
        ("servicedesk", "0004_reception_phone_kind"),
    ]

    operations = [migrations.RunPython(extend, restore)]
