"""The grid connection request types (grid/shipped.py): created if missing, never overwritten, so
administrators' later edits of deadlines survive; reversing removes only types no request uses."""

from django.db import migrations


def create_types(apps, schema_editor):
    # import here: a migration loads app code only when it runs, not when the graph is built
    from kabinet.grid.shipped import connection_type_rows

    RequestType = apps.get_model("servicedesk", "RequestType")
    # the named documents come with their field (0002)
    known = {field.name for field in RequestType._meta.get_fields()}
    for row in connection_type_rows():
        key = row.pop("key")
        RequestType.objects.get_or_create(
            key=key, defaults={k: v for k, v in row.items() if k in known}
        )


def remove_types(apps, schema_editor):
    # import here: a migration loads app code only when it runs, not when the graph is built
    from kabinet.grid.shipped import CONNECTION_KEYS

    RequestType = apps.get_model("servicedesk", "RequestType")
    RequestType.objects.filter(key__in=CONNECTION_KEYS, requests__isnull=True).delete()


class Migration(migrations.Migration):
    initial = True
    dependencies = [("servicedesk", "0007_connection_category")]

    operations = [migrations.RunPython(create_types, remove_types)]
