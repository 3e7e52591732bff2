"""Surveys invite their audience once when published and open (`invited_at`, and the batches'
`invite_cursor`). Surveys already open before this are marked invited: they were announced
otherwise, and the daily job must not send them to everybody now."""

from django.db import migrations, models
from django.utils import timezone


def mark_open_surveys_invited(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    Survey.objects.filter(published=True, opens_at__lte=timezone.now()).update(
        invited_at=models.F("opens_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_surveys_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="survey",
            name="invite_cursor",
            field=models.PositiveBigIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="survey",
            name="invited_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="приглашения разосланы"
            ),
        ),
        migrations.RunPython(mark_open_surveys_invited, migrations.RunPython.noop),
    ]
