"""«Опросы» in the portal: the list with «Перейти», answering once, the thanks, a survey not meant
for the person is 404, the list keeps a constant number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kabinet.customers.models import Customer
from kabinet.customers.tests.factories import CustomerFactory, household, member
from kabinet.surveys.models import Response
from kabinet.surveys.services import survey_questions_save, survey_save

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {"kind": "scale5", "text": "Оцените сайт", "required": True},
    {"kind": "text", "text": "Что улучшить?", "show_if_position": 1, "show_if_value": "1"},
]


def _survey(actor, **extra):
    fields = {"title": "Качество обслуживания", "published": True, **extra}
    survey = survey_save(actor=actor, **fields)
    survey_questions_save(actor=actor, survey=survey, questions=QUESTIONS)
    return survey


def test_a_customer_answers_once_and_is_thanked(client, administrator, organisation):
    _, anna = household()
    survey = _survey(administrator, editable=False)
    client.force_login(anna)
    listing = client.get(reverse("portal:surveys:list")).content.decode()
    assert "Качество обслуживания" in listing and "Перейти" in listing
    url = reverse("portal:surveys:answer", args=[survey.public_id])
    empty = client.post(url, {})
    assert empty.status_code == 400
    assert "Проверьте, пожалуйста, поля формы" in empty.content.decode()
    done = client.post(url, {"q1": "1", "q2": "Быстрее отвечать"})
    assert done.url == reverse("portal:surveys:thanks", args=[survey.public_id])
    assert "сохранён" in client.get(done.url).content.decode()
    # again: the page says so and a second post writes nothing
    assert "Вы уже ответили" in client.get(url).content.decode()
    client.post(url, {"q1": "5"})
    assert Response.objects.get().answers.get(question__position=1).values == ["1"]


def test_a_survey_for_companies_is_404_for_a_household(client, administrator, organisation):
    _, anna = household()
    survey = _survey(
        administrator, audience="customer_kind", audience_param=Customer.Kind.LEGAL_ENTITY
    )
    client.force_login(anna)
    assert client.get(reverse("portal:surveys:answer", args=[survey.public_id])).status_code == 404
    director = member(CustomerFactory())
    client.force_login(director)
    assert client.get(reverse("portal:surveys:answer", args=[survey.public_id])).status_code == 200


def test_the_list_keeps_a_constant_number_of_queries(
    client, administrator, organisation, django_assert_max_num_queries
):
    _, anna = household()
    _survey(administrator)
    client.force_login(anna)
    url = reverse("portal:surveys:list")
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for n in range(8):
        _survey(administrator, title=f"Опрос {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_a_conditional_question_keeps_its_hint_and_is_marked_for_the_script(
    client, administrator, organisation
):
    _, anna = household()
    survey = _survey(administrator)
    client.force_login(anna)
    html = client.get(reverse("portal:surveys:answer", args=[survey.public_id])).content.decode()
    # without JS: the hint says when to answer; with JS: show_if.js reads the marks (no inline code)
    assert "Ответьте, если на вопрос «Оцените сайт» вы ответили «1»." in html
    assert 'data-show-if="q1"' in html and 'data-show-if-value="1"' in html
    assert "kabinet/js/show_if" in html
    assert "<script>" not in html and " onclick" not in html
