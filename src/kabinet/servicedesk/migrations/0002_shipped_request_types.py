"""The request types Kabinet ships (servicedesk/shipped.py): created if missing, never overwritten,
so administrators' later edits survive; reversing removes only types no request uses."""

from django.db import migrations


def create_types(apps, schema_editor):
    # import here: a migration loads app code only when it runs, not when the graph is built
    from kabinet.servicedesk.shipped import shipped_type_rows

    RequestType = apps.get_model("servicedesk", "RequestType")
    for row in shipped_type_rows():
        key = row.pop("key")
        RequestType.objects.get_or_create(key=key, defaults=row)


def remove_types(apps, schema_editor):
    # import here: a migration loads app code only when it runs, not when the graph is built
    from kabinet.servicedesk.shipped import SHIPPED_TYPES

    RequestType = apps.get_model("servicedesk", "RequestType")
    RequestType.objects.filter(
        key__in=[t["key"] for t in SHIPPED_TYPES], requests__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("servicedesk", "0001_request_engine")]

    operations = [migrations.RunPython(create_types, remove_types)]
