"""The integration API accepted a contract kind "legal" that `Contract.Kind` does not have (it is
"business"): contracts stored so are given the kind they meant."""

from django.db import migrations


def forwards(apps, schema_editor):
    Contract = apps.get_model("customers", "Contract")
    Contract.objects.filter(kind="legal").update(kind="business")


class Migration(migrations.Migration):
    dependencies = [("customers", "0009_customer_external_id")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
