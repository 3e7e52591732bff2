"""The shipped production calendar 2025–2027 (servicedesk/data/production_calendar.json; 2027 is
marked unverified). Reversing removes the days of the shipped years."""

from django.db import migrations


def load(apps, schema_editor):
    # import here: a migration loads app code only when it runs, not when the graph is built
    from kabinet.servicedesk.calendar import read_calendar_file

    CalendarDay = apps.get_model("servicedesk", "CalendarDay")
    for year in read_calendar_file():
        if CalendarDay.objects.filter(date__year=year.year).exists():
            continue
        note = year.note[:200]
        CalendarDay.objects.bulk_create(
            [
                CalendarDay(date=day, is_working=False, verified=year.verified, note=note)
                for day in year.holidays
            ]
            + [
                CalendarDay(date=day, is_working=True, verified=year.verified, note=note)
                for day in year.working_weekends
            ]
        )


def unload(apps, schema_editor):
    # import here: a migration loads app code only when it runs, not when the graph is built
    from kabinet.servicedesk.calendar import read_calendar_file

    CalendarDay = apps.get_model("servicedesk", "CalendarDay")
    years = [year.year for year in read_calendar_file()]
    CalendarDay.objects.filter(date__year__in=years).delete()


class Migration(migrations.Migration):
    dependencies = [("servicedesk", "0005_status_deadlines_calendar")]

    operations = [migrations.RunPython(load, unload)]
