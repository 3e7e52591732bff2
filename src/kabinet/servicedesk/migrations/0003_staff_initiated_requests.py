"""Requests a staff member opens *to* a customer (the portal's «Полученные»): a flag on the request,
and the shipped appeal and support ticket allow it («staff» among who may file). Reversible: the
flag goes, and «staff» is taken off those two types again."""

from django.db import migrations, models

import kabinet.servicedesk.defaults

STAFF_TYPES = ("appeal", "support")


def allow_staff(apps, schema_editor):
    RequestType = apps.get_model("servicedesk", "RequestType")
    for request_type in RequestType.objects.filter(key__in=STAFF_TYPES):
        if "staff" not in (request_type.filers or []):
            request_type.filers = [*(request_type.filers or []), "staff"]
            request_type.save(update_fields=["filers"])


def disallow_staff(apps, schema_editor):
    RequestType = apps.get_model("servicedesk", "RequestType")
    for request_type in RequestType.objects.filter(key__in=STAFF_TYPES):
        if "staff" in (request_type.filers or []):
            request_type.filers = [f for f in request_type.filers if f != "staff"]
            request_type.save(update_fields=["filers"])


class Migration(migrations.Migration):
    dependencies = [
        ("servicedesk", "0002_shipped_request_types"),
    ]

    operations = [
        migrations.AddField(
            model_name="request",
            name="initiated_by_staff",
            field=models.BooleanField(
                default=False,
                help_text="Сообщение клиенту от компании: у клиента — в «Полученных».",
                verbose_name="открыта сотрудником компании",
            ),
        ),
        migrations.AlterField(
            model_name="requesttype",
            name="filers",
            field=models.JSONField(
                default=kabinet.servicedesk.defaults.default_filers,
                help_text="Список: «customer» — любой сотрудник клиента; роли «owner», «manager», «accountant», «viewer»; «anonymous» — без входа (интернет-приёмная); «staff» — сотрудники компании могут написать клиенту первыми.",
                verbose_name="кто может подавать",
            ),
        ),
        migrations.RunPython(allow_staff, disallow_staff),
    ]
