"""The internet reception's «Телефон» becomes a `phone` field (checked, stored as E.164, shown as
+7 (916) 123-45-67); the form schema's help lists the kinds for administrators.

Only a shipped reception type whose `phone` field is still the shipped free-text one is changed, so
an administrator's own edits survive. Requests already filed keep what was typed, except that a
number the phone parser understands is stored as E.164 like new ones. Reversing makes the field
free text again (E.164 numbers are valid text, so the values stay)."""

from django.db import migrations, models

RECEPTION_TYPES = (
    "reception_request",
    "reception_appeal",
    "reception_violation",
    "reception_feedback",
)


def _set_kind(apps, old: str, new: str) -> list[int]:
    RequestType = apps.get_model("servicedesk", "RequestType")
    changed = []
    for request_type in RequestType.objects.filter(key__in=RECEPTION_TYPES):
        schema = request_type.form_schema or []
        touched = False
        for field in schema:
            if (
                isinstance(field, dict)
                and field.get("name") == "phone"
                and field.get("kind") == old
            ):
                field["kind"] = new
                touched = True
        if touched:
            request_type.form_schema = schema
            request_type.save(update_fields=["form_schema"])
            changed.append(request_type.pk)
    return changed


def to_phone(apps, schema_editor):
    # import here: a migration loads app code only when it runs, not when the graph is built
    from kabinet.core.formats.display import normalize_phone

    Request = apps.get_model("servicedesk", "Request")
    changed = _set_kind(apps, "text", "phone")
    for req in Request.objects.filter(type_id__in=changed).only("pk", "values").iterator():
        values = req.values or {}
        raw = values.get("phone")
        if not isinstance(raw, str) or not raw:
            continue
        try:
            e164 = normalize_phone(raw)
        except ValueError:
            continue  # what the person typed stays as it was
        if e164 != raw:
            values["phone"] = e164
            req.values = values
            req.save(update_fields=["values"])


def to_text(apps, schema_editor):
    _set_kind(apps, "phone", "text")


class Migration(migrations.Migration):
    dependencies = [
        ("servicedesk", "0003_staff_initiated_requests"),
    ]

    operations = [
        migrations.AlterField(
            model_name="requesttype",
            name="form_schema",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text='Список полей: {"name", "label", "kind", "required", "help"}. Виды (kind): text — строка, textarea — текст, number — число, date — дата, select и multiselect — выбор из "choices", list — значения через «;», object — объект из "source", phone — российский номер телефона (хранится как +79161234567, показывается как +7 (916) 123-45-67).',
                verbose_name="поля формы",
            ),
        ),
        migrations.RunPython(to_phone, to_text),
    ]
