"""The subscriptions' table takes this app's name (a rename: the rows stay), and the content type
(permissions, admin log entries) moves from identity to notifications with it."""

from django.db import migrations


def _move_content_type(apps, schema_editor, *, old: str, new: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if content_type.objects.using(db).filter(app_label=new, model="notificationpreference").exists():
        return
    content_type.objects.using(db).filter(app_label=old, model="notificationpreference").update(
        app_label=new
    )


def forwards(apps, schema_editor):
    _move_content_type(apps, schema_editor, old="identity", new="notifications")


def backwards(apps, schema_editor):
    _move_content_type(apps, schema_editor, old="notifications", new="identity")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("identity", "0006_notificationpreference_to_notifications"),
        ("notifications", "0004_notificationpreference_from_identity"),
    ]

    operations = [
        migrations.AlterModelTable(name="notificationpreference", table=None),
        migrations.RunPython(forwards, backwards),
    ]
