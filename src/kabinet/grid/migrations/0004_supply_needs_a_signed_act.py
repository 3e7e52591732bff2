"""The supply stage of the connection types checks, when staff move a request there by hand, that
the act is signed (in the portal or on paper): its `on_enter` names grid's check. Only where an
administrator has not set one already; reversing takes it out again."""

from django.db import migrations

ACTION = "connection_supply"


def _connection_keys():
    # import here: a migration loads app code only when it runs, not when the graph is built
    from kabinet.grid.shipped import CONNECTION_KEYS

    return list(CONNECTION_KEYS)


def forwards(apps, schema_editor):
    RequestType = apps.get_model("servicedesk", "RequestType")
    for request_type in RequestType.objects.filter(key__in=_connection_keys()):
        for status in request_type.workflow.get("statuses", []):
            if status.get("key") == "supply" and not status.get("on_enter"):
                status["on_enter"] = ACTION
        request_type.save(update_fields=["workflow"])


def backwards(apps, schema_editor):
    RequestType = apps.get_model("servicedesk", "RequestType")
    for request_type in RequestType.objects.filter(key__in=_connection_keys()):
        for status in request_type.workflow.get("statuses", []):
            if status.get("key") == "supply" and status.get("on_enter") == ACTION:
                del status["on_enter"]
        request_type.save(update_fields=["workflow"])


class Migration(migrations.Migration):
    dependencies = [("grid", "0003_customer_types_deadline_rules")]

    operations = [migrations.RunPython(forwards, backwards)]
