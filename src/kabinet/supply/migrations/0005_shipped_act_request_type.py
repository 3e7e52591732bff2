"""The «Акт сверки» request type (supply/shipped.py) a contract's act is put on for signing:
created if missing, never overwritten; reversing removes it only while no request uses it."""

from django.db import migrations


def create_type(apps, schema_editor):
    # import here: a migration loads app code only when it runs, not when the graph is built
    from kabinet.supply.shipped import act_type_row

    RequestType = apps.get_model("servicedesk", "RequestType")
    row = act_type_row()
    key = row.pop("key")
    RequestType.objects.get_or_create(key=key, defaults=row)


def remove_type(apps, schema_editor):
    from kabinet.supply.shipped import ACT_TYPE_KEY

    RequestType = apps.get_model("servicedesk", "RequestType")
    RequestType.objects.filter(key=ACT_TYPE_KEY, requests__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("supply", "0004_contract_act_signing_document"),
        ("servicedesk", "0009_request_type_module_supply"),
    ]

    operations = [migrations.RunPython(create_type, remove_type)]
