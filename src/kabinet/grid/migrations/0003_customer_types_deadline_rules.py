"""The connection types learn who they are for (`customer_types`: the ≤ 15 kW one is an
individual's, the ≤ 150 kW one an organisation's or ИП's), the location questions (distance to the
grid, town or countryside, third-party land) and the rules choosing the fulfilment deadline by them,
the offer's documents to sign and the signed act that starts the supply. Only what an administrator
has not set already; reversing takes the additions out again."""

from django.db import migrations

ADDED_STATUS_KEYS = ("deadline_rules", "on_enter")


def _shipped():
    # import here: a migration loads app code only when it runs, not when the graph is built
    from kabinet.grid.shipped import connection_type_rows

    return {row["key"]: row for row in connection_type_rows()}


def forwards(apps, schema_editor):
    RequestType = apps.get_model("servicedesk", "RequestType")
    shipped = _shipped()
    for request_type in RequestType.objects.filter(key__in=list(shipped)):
        row = shipped[request_type.key]
        if not request_type.customer_types:
            request_type.customer_types = row["customer_types"]
        names = {field.get("name") for field in request_type.form_schema}
        request_type.form_schema = request_type.form_schema + [
            field for field in row["form_schema"] if field["name"] not in names
        ]
        workflow = request_type.workflow
        by_key = {status["key"]: status for status in row["workflow"]["statuses"]}
        for status in workflow.get("statuses", []):
            spec = by_key.get(status["key"], {})
            for name in ADDED_STATUS_KEYS:
                if name in spec and name not in status:
                    status[name] = spec[name]
            if status["key"] in ("offer", "act"):
                status["owner"] = spec.get("owner", status.get("owner"))
                status["expect"] = spec.get("expect", status.get("expect", ""))
        workflow.setdefault("on_signed", row["workflow"]["on_signed"])
        request_type.save(update_fields=["customer_types", "form_schema", "workflow"])


def backwards(apps, schema_editor):
    RequestType = apps.get_model("servicedesk", "RequestType")
    shipped = _shipped()
    for request_type in RequestType.objects.filter(key__in=list(shipped)):
        request_type.customer_types = []
        request_type.form_schema = [
            field
            for field in request_type.form_schema
            if field.get("name") not in ("distance_m", "settlement", "third_party_land")
        ]
        for status in request_type.workflow.get("statuses", []):
            for name in ADDED_STATUS_KEYS:
                status.pop(name, None)
        request_type.workflow.pop("on_signed", None)
        request_type.save(update_fields=["customer_types", "form_schema", "workflow"])


class Migration(migrations.Migration):
    dependencies = [
        ("grid", "0002_connection_documents"),
        ("servicedesk", "0010_request_type_customer_types"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
