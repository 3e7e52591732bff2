"""The connection types' named documents (DOMAIN.md § 8: the signed application, the ID document,
the plan, the title document, the power of attorney, founding documents), each its own upload;
only where an administrator has not set documents already. Reversing empties them again."""

from django.db import migrations


def set_documents(apps, schema_editor):
    # import here: a migration loads app code only when it runs, not when the graph is built
    from kabinet.grid.shipped import DOCUMENTS_BY_VARIANT

    RequestType = apps.get_model("servicedesk", "RequestType")
    for request_type in RequestType.objects.filter(key__in=list(DOCUMENTS_BY_VARIANT)):
        if not request_type.documents:
            request_type.documents = DOCUMENTS_BY_VARIANT[request_type.key]
            request_type.save(update_fields=["documents"])


def clear_documents(apps, schema_editor):
    # import here: a migration loads app code only when it runs, not when the graph is built
    from kabinet.grid.shipped import DOCUMENTS_BY_VARIANT

    RequestType = apps.get_model("servicedesk", "RequestType")
    RequestType.objects.filter(key__in=list(DOCUMENTS_BY_VARIANT)).update(documents=[])


class Migration(migrations.Migration):
    dependencies = [
        ("grid", "0001_shipped_connection_types"),
        ("servicedesk", "0008_named_documents"),
    ]

    operations = [migrations.RunPython(set_documents, clear_documents)]
