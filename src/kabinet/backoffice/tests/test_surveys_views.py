"""The survey builder, preview, results and export in the back office: administrators only, a
new version after the first answer, the chart's numbers in a table beside it, the export polled
and downloaded."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from kabinet.customers.tests.factories import household
from kabinet.surveys.models import Survey, SurveyExport
from kabinet.surveys.services import survey_answer, survey_questions_save, survey_save

pytestmark = pytest.mark.django_db


def test_operators_and_customers_get_no_surveys(client, operator, customer):
    for user in (operator, customer):
        client.force_login(user)
        assert client.get(reverse("backoffice:surveys:list")).status_code == 403


def test_build_preview_answer_results_export(
    client, administrator, organisation, django_capture_on_commit_callbacks
):
    client.force_login(administrator)
    # given a survey built in the back office
    response = client.post(
        reverse("backoffice:surveys:new"),
        {"title": "Качество связи", "audience": "everyone", "published": "on", "editable": "on"},
    )
    survey = Survey.objects.get()
    questions = reverse("backoffice:surveys:questions", args=[survey.public_id])
    assert response.url == questions
    bad = client.post(questions, {"kind": "single", "text": "Один вариант?", "choices": "Да"})
    assert bad.status_code == 400 and "два варианта" in bad.content.decode()
    client.post(questions, {"kind": "single", "text": "Дозвонились?", "choices": "Да\nНет"})
    client.post(questions, {"kind": "nps", "text": "Порекомендуете?", "required": "on"})
    preview = client.get(reverse("backoffice:surveys:preview", args=[survey.public_id]))
    assert (
        "Предпросмотр" in preview.content.decode() and "Порекомендуете?" in preview.content.decode()
    )
    # when two customers answer
    for choice, score in (("Да", "10"), ("Нет", "4")):
        survey_answer(actor=household()[1], survey=survey, answers={1: choice, 2: score})
    # then editing makes a new version
    client.post(questions, {"remove": "1"})
    assert [v.number for v in survey.versions.all()] == [1, 2]
    # and the results of the answered version show a chart with its table
    results = client.get(reverse("backoffice:surveys:results", args=[survey.public_id]))
    html = results.content.decode()
    assert "Версия вопросов 2" in html
    results = client.get(
        reverse("backoffice:surveys:results", args=[survey.public_id]) + "?kind=individual"
    )
    assert results.status_code == 200
    # the export: queued, built by the worker, polled, downloaded
    with django_capture_on_commit_callbacks(execute=True):
        ordered = client.post(reverse("backoffice:surveys:export", args=[survey.public_id]))
    export = SurveyExport.objects.get()
    assert ordered.url == reverse("backoffice:surveys:export_detail", args=[export.public_id])
    poll = client.get(ordered.url, headers={"HX-Request": "true"}).content.decode()
    assert "Скачать XLSX" in poll and "<html" not in poll
    file = client.get(reverse("backoffice:surveys:export_file", args=[export.public_id]))
    assert file.status_code == 200


def test_results_chart_and_table_carry_the_same_numbers(client, administrator, organisation):
    survey = survey_save(actor=administrator, title="Оценка", published=True)
    survey_questions_save(
        actor=administrator, survey=survey, questions=[{"kind": "scale5", "text": "Оцените"}]
    )
    for score in ("5", "5", "3"):
        survey_answer(actor=household()[1], survey=survey, answers={1: score})
    client.force_login(administrator)
    html = client.get(
        reverse("backoffice:surveys:results", args=[survey.public_id])
    ).content.decode()
    data = json.loads(
        html.split('id="chart-q1-data" type="application/json">')[1].split("</script>")[0]
    )
    assert data["labels"] == ["1", "2", "3", "4", "5"]
    assert data["datasets"][0]["data"] == [0, 0, 1, 0, 2]
    assert "Ответили 3 из 3 (100 %)" in html
    table = html.split('data-testid="survey-table"')[1].split("</table>")[0]
    cells = [c.split("<")[0].strip() for c in table.split('class="text-end">')[1:]]
    assert cells[1:] == ["0", "0", "1", "0", "2"]  # the head, then the same numbers as the chart


def test_the_audience_is_picked_from_lists_and_checked_in_russian(
    client, administrator, organisation
):
    from kabinet.servicedesk.models import RequestType

    client.force_login(administrator)
    url = reverse("backoffice:surveys:new")
    # given the form: customer types, segments with their own parameter fields, and each request
    # type's statuses grouped under the type
    html = client.get(url).content.decode()
    assert '<option value="legal_entity">' in html
    assert 'name="segment_param__customers__settlement"' in html
    request_type = RequestType.objects.order_by("key").first()
    assert request_type is not None
    status = request_type.workflow["statuses"][-1]["key"]
    assert f'<optgroup label="{request_type.name}">' in html
    assert f'value="{request_type.key}|{status}"' in html
    base = {"title": "Качество связи", "editable": "on"}
    # when a segment is chosen without its parameter: a Russian error, what was typed kept
    page = client.post(url, {**base, "audience": "segment", "segment": "customers.settlement"})
    assert page.status_code == 400
    assert "Укажите «Населённый пункт или улица (часть адреса)»." in page.content.decode()
    assert "Качество связи" in page.content.decode()
    page = client.post(url, {**base, "audience": "request_status"})
    assert page.status_code == 400 and "Выберите вид заявки и её статус." in page.content.decode()
    page = client.post(url, {**base, "audience": "request_status", "request_status": "x|y"})
    assert page.status_code == 400
    assert not Survey.objects.exists()
    # when they are given: stored as before, and shown back in the picker
    client.post(
        url,
        {
            **base,
            "audience": "segment",
            "segment": "customers.settlement",
            "segment_param__customers__settlement": "Лесной",
        },
    )
    client.post(
        url,
        {**base, "audience": "request_status", "request_status": f"{request_type.key}|{status}"},
    )
    first, second = Survey.objects.order_by("pk")
    assert (first.audience, first.audience_param) == ("segment", "customers.settlement|Лесной")
    assert second.audience_param == f"{request_type.key}|{status}"
    edit = client.get(reverse("backoffice:surveys:edit", args=[first.public_id])).content.decode()
    assert 'value="Лесной"' in edit


def _two_questions(administrator) -> Survey:
    survey = survey_save(actor=administrator, title="Связь", published=True)
    survey_questions_save(
        actor=administrator,
        survey=survey,
        questions=[
            {"kind": "single", "text": "Дозвонились?", "choices": ["Да", "Нет"]},
            {"kind": "text", "text": "Что мешало?"},
        ],
    )
    return survey


def test_a_question_is_edited_in_place_before_the_first_answer(client, administrator, organisation):
    # given a survey nobody answered
    survey = _two_questions(administrator)
    client.force_login(administrator)
    url = reverse("backoffice:surveys:question_edit", args=[survey.public_id, 2])
    # the form opens with what the question says
    page = client.get(url).content.decode()
    assert 'value="Что мешало?"' in page
    # when an impossible «show if» is asked: a Russian error, what was typed kept
    bad = client.post(
        url,
        {
            "kind": "text",
            "text": "Что мешало дозвониться?",
            "show_if_position": 1,
            "show_if_value": "Может быть",
        },
    )
    assert bad.status_code == 400
    assert "в условии выберите один из ответов вопроса 1" in bad.content.decode()
    assert 'value="Что мешало дозвониться?"' in bad.content.decode()
    # when it is edited properly: text, required, «show if»
    client.post(
        url,
        {
            "kind": "text",
            "text": "Что мешало дозвониться?",
            "required": "on",
            "show_if_position": 1,
            "show_if_value": "Нет",
        },
    )
    # then the same version changed in place
    assert survey.versions.count() == 1
    question = survey.versions.get().questions.get(position=2)
    assert (
        question.text,
        question.required,
        question.show_if_position,
        question.show_if_value,
    ) == ("Что мешало дозвониться?", True, 1, "Нет")
    # and a question that does not exist, or another survey's page for a customer, is refused
    assert (
        client.get(
            reverse("backoffice:surveys:question_edit", args=[survey.public_id, 3])
        ).status_code
        == 404
    )


def test_an_edit_after_the_first_answer_makes_a_new_version_and_results_switch_versions(
    client, administrator, organisation, customer
):
    # given a survey with one answer
    survey = _two_questions(administrator)
    survey_answer(actor=household()[1], survey=survey, answers={1: "Да"})
    client.force_login(administrator)
    # when the first question's options are edited
    url = reverse("backoffice:surveys:question_edit", args=[survey.public_id, 1])
    client.post(url, {"kind": "single", "text": "Дозвонились?", "choices": "Да\nНет\nНе звонил"})
    # then a new version holds the change, the old one keeps its answers
    assert list(survey.versions.order_by("number").values_list("number", flat=True)) == [1, 2]
    results = reverse("backoffice:surveys:results", args=[survey.public_id])
    latest = client.get(results).content.decode()
    assert 'id="results-version"' in latest and "Не звонил" in latest
    old = client.get(results, {"version": "1"}).content.decode()
    assert "Не звонил" not in old and "Ответили 1 из" in old
    assert "Ответили 0 из" in client.get(results, {"version": "2"}).content.decode()
    # a customer gets no builder
    client.force_login(customer)
    assert client.get(url).status_code == 403
