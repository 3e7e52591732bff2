"""Confirm the customers staff have vouched for: every individual and sole proprietor (the rule is
about legal entities) and every legal entity made by approving a connection application. Other
legal entities stay «не подтверждена» until staff confirm them in the back office: among them may be
one somebody registered by a public ИНН. Reversible: backwards, 0005 drops the column."""

from django.db import migrations


def confirm_staff_approved(apps, schema_editor):
    Customer = apps.get_model("customers", "Customer")
    ConnectionApplication = apps.get_model("customers", "ConnectionApplication")
    approved = ConnectionApplication.objects.filter(
        status="approved", customer__isnull=False
    ).values("customer_id")
    Customer.objects.exclude(kind="legal_entity").update(confirmed=True)
    Customer.objects.filter(pk__in=approved).update(confirmed=True)


class Migration(migrations.Migration):

    dependencies = [
        ("customers", "0005_customer_confirmed"),
    ]

    operations = [
        migrations.RunPython(confirm_staff_approved, migrations.RunPython.noop, elidable=False),
    ]
