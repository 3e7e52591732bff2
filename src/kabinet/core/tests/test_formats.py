from decimal import Decimal

import pytest

from kabinet.core.formats.display import format_phone, format_rub, normalize_phone

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("1234.56"), f"1{NBSP}234,56{NBSP}₽"),
        (0, f"0,00{NBSP}₽"),
        ("1234567.5", f"1{NBSP}234{NBSP}567,50{NBSP}₽"),
        (Decimal("-15.005"), f"−15,01{NBSP}₽"),
        (999, f"999,00{NBSP}₽"),
    ],
)
def test_money_is_shown_the_russian_way(amount, expected):
    assert format_rub(amount) == expected


@pytest.mark.parametrize(
    "typed", ["89161234567", "+7 (916) 123-45-67", "9161234567", "8 916 123 45 67"]
)
def test_phone_numbers_are_normalised_however_typed(typed):
    assert normalize_phone(typed) == "+79161234567"


@pytest.mark.parametrize("typed", ["12345", "+7 701 123 45 67", "+1 202 555 0101", "abc"])
def test_non_russian_or_invalid_phones_are_refused(typed):
    # +7 701 is Kazakhstan: same country code, another country.
    with pytest.raises(ValueError):
        normalize_phone(typed)


def test_phone_is_displayed_with_brackets_and_dashes():
    assert format_phone("+79161234567") == f"+7{NBSP}(916){NBSP}123-45-67"


def test_dates_use_dd_mm_yyyy_in_both_languages(settings):
    import datetime

    from django.template import Context, Template
    from django.utils import translation

    template = Template('{{ d|date:"SHORT_DATE_FORMAT" }} {{ n|floatformat:"2g" }}')
    context = Context({"d": datetime.date(2026, 3, 5), "n": 1234.5})
    for language in ("ru", "en"):
        with translation.override(language):
            assert template.render(context) == f"05.03.2026 1{NBSP}234,50"


def test_a_month_inside_a_sentence_is_lowercase_in_russian_only():
    import datetime

    from django.template import Context, Template
    from django.utils import translation

    # given a period shown inside a sentence («Счёт за …») and the same month as a heading
    template = Template('за {{ d|month_in_text }}; {{ d|date:"F Y" }}')
    context = Context({"d": datetime.date(2026, 10, 1)})
    # then Russian writes the month in lower case mid-sentence, English keeps its capital
    with translation.override("ru"):
        assert template.render(context) == "за октябрь 2026; Октябрь 2026"
    with translation.override("en"):
        assert template.render(context) == "за October 2026; October 2026"


def test_a_quoted_name_inside_quotes_nests_them_the_russian_way():
    # «ООО «Северный прокат»» is wrong; inner quotes become „лапки“
    from kabinet.core.formats.display import nest_quotes

    assert nest_quotes("ООО «Северный прокат»") == "ООО „Северный прокат“"
    assert nest_quotes("Смирнов Алексей Викторович") == "Смирнов Алексей Викторович"
    assert nest_quotes(None) == ""


def test_a_phone_in_a_page_stays_on_one_line_and_is_escaped():
    from django.template import Context, Template

    rendered = Template("{{ phone|phone }}|{{ other|phone }}|{{ none|phone|default:'—' }}").render(
        Context({"phone": "+79161234567", "other": "<b>1</b>", "none": ""})
    )
    assert rendered == (
        '<span class="text-nowrap">+7\xa0(916)\xa0123-45-67</span>|'
        '<span class="text-nowrap">&lt;b&gt;1&lt;/b&gt;</span>|—'
    )


def test_a_phone_in_a_plain_text_mail_is_plain_text():
    from django.template import Context, Template

    rendered = Template("{% autoescape off %}{{ phone|phone }}{% endautoescape %}").render(
        Context({"phone": "+79161234567"})
    )
    assert rendered == "+7\xa0(916)\xa0123-45-67"
