"""Background work of surveys: thin, idempotent."""

from django.tasks import task


@task
def survey_export_task(*, export_id: int) -> None:
    # import here: surveys.services imports these tasks to enqueue them (cycle)
    from kabinet.surveys.services import survey_export_build

    survey_export_build(export_id=export_id)


@task
def survey_invite_task(*, survey_id: int) -> int:
    # import here: surveys.services imports these tasks to enqueue them (cycle)
    from kabinet.surveys.services import survey_invite_batch

    return survey_invite_batch(survey_id=survey_id)
