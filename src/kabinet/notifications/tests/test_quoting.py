"""Quoted letters and signatures are cut off replies from the mail clients people in Russia use."""

import pytest

from kabinet.notifications.quoting import html_to_text, strip_quoted

ANSWER = "Счётчик заменили, показания 12345."


@pytest.mark.parametrize(
    "heading",
    [
        "пт, 17 мая 2024 г. в 12:00, Иван Иванов <ivan@example.ru>:",  # Gmail
        '17.05.2024, 12:00, "Иван Иванов" <ivan@example.ru>:',  # Yandex
        "Пятница, 17 мая 2024, 12:00 +03:00 от Иван Иванов <ivan@mail.ru>:",  # Mail.ru
        "Пятница, 17 мая 2024, 12:00 +03:00 от ivan@mail.ru:",  # Mail.ru, older
        "17.05.2024 12:00, Иван Иванов пишет:",  # Thunderbird
        "17 мая 2024 г., в 12:00, Иван <ivan@example.ru> написал(а):",  # Apple Mail
        "On Fri, May 17, 2024 at 12:00 PM Ivan <ivan@example.com> wrote:",  # English
        "-----Исходное сообщение-----",  # Outlook, plain
        "-----Original Message-----",
    ],
)
def test_the_quoted_letter_under_an_attribution_line_is_cut(heading):
    # given a reply written above the client's attribution line and the quoted letter
    body = f"{ANSWER}\n\n{heading}\n> Уважаемый клиент!\n> Ваша заявка №15 принята.\n"
    # when the quote is stripped, only the answer stays
    assert strip_quoted(body) == ANSWER


def test_an_attribution_wrapped_over_two_lines_is_recognised():
    body = f"{ANSWER}\n\nOn Fri, May 17, 2024 at 12:00 PM Ivan Ivanov <ivan@example.com>\nwrote:\n> old\n"
    assert strip_quoted(body) == ANSWER


def test_an_outlook_header_block_starts_the_quote():
    body = (
        f"{ANSWER}\n\n________________________________\nОт: Личный кабинет <noreply@lk.example.ru>\n"
        "Отправлено: 17 мая 2024 г. 12:00\nКому: ivan@example.ru\nТема: Заявка №15\n\nТекст"
    )
    assert strip_quoted(body) == ANSWER


def test_signatures_and_device_lines_are_dropped():
    body = f"{ANSWER}\n\nОтправлено из мобильной Почты Mail.ru\n-- \nИван Иванов\n+7 900 000-00-00"
    assert strip_quoted(body) == ANSWER
    assert strip_quoted(f"{ANSWER}\n\nSent from my iPhone") == ANSWER


def test_inline_answers_between_quotes_are_kept():
    body = "> Когда удобно прийти?\nВ четверг после 14:00.\n> Нужен доступ к щитку?\nДа, ключ у соседа."
    assert strip_quoted(body) == "В четверг после 14:00.\nДа, ключ у соседа."


def test_an_answer_under_the_quote_is_kept():
    # bottom-posting: the attribution and the quote first, the answer below
    body = f"17.05.2024 12:00, Иван Иванов пишет:\n> Вопрос?\n\n{ANSWER}\n-- \nИван"
    assert strip_quoted(body) == ANSWER


def test_ordinary_text_with_a_colon_and_an_address_is_not_mistaken_for_a_quote():
    body = "Пишите мне на новый адрес <ivan@example.ru>:\nспасибо!"
    assert strip_quoted(body) == body


GMAIL_HTML = (
    '<div dir="ltr">Счётчик заменили,<br/>показания 12345.</div><div class="gmail_quote">'
    '<div dir="ltr" class="gmail_attr">пт, 17 мая 2024&nbsp;г. в 12:00, Личный кабинет '
    '&lt;noreply@lk.example.ru&gt;:<br></div><blockquote class="gmail_quote">'
    "<div>Заявка №15: специалист ответил.</div></blockquote></div>"
)


def test_an_html_only_reply_keeps_its_line_breaks_and_loses_its_quote():
    # given an HTML-only reply whose blocks and <br/> carry the line breaks
    text = html_to_text(GMAIL_HTML)
    # then the text has them, the quote is marked, and stripping leaves the answer only
    assert text.splitlines()[:2] == ["Счётчик заменили,", "показания 12345."]
    assert "> Заявка №15: специалист ответил." in text
    assert strip_quoted(text) == "Счётчик заменили,\nпоказания 12345."


def test_html_markup_and_entities_do_not_leak_into_the_text():
    markup = (
        "<html><head><style>p{color:red}</style></head><body><p>a &lt;b&gt; &amp;lt;</p></body>"
    )
    assert html_to_text(markup) == "a <b> &lt;"


@pytest.mark.parametrize(
    "quoted",
    [
        "От: Личный кабинет <noreply@lk.example.ru>\nОтправлено: 17 мая 2024 г. 12:00\n"
        "Кому: ivan@example.ru\nТема: Заявка №15\n\nЗаявка №15: специалист ответил.",
        "-----Original Message-----\nFrom: Kabinet\nSent: Friday\n\nRequest 15: answered.",
        "17.05.2024 12:00, Личный кабинет пишет:\nЗаявка №15: специалист ответил.",
    ],
)
def test_the_quoted_notification_is_never_taken_for_the_answer(quoted):
    # given a reply with nothing written above a quote that is not marked with ">"
    # then the answer is empty (the handler refuses it to the quarantine), not the notification
    assert strip_quoted(quoted) == ""


def test_a_sent_from_line_in_the_middle_of_the_text_is_what_they_wrote():
    body = (
        "Sent from my desk at the substation: the meter reads 12345.\nJohn\n\nSent from my iPhone"
    )
    assert strip_quoted(body) == "Sent from my desk at the substation: the meter reads 12345.\nJohn"


def test_zoho_and_wrapped_gmail_headings_start_the_quote():
    zoho = f"{ANSWER}\n\n---- On Fri, 17 May 2024 12:00:00 +0300 Kabinet <noreply@lk.example.ru> wrote ---\n\nold"
    gmail = f"{ANSWER}\n\nпт, 17 мая 2024 г. в 12:00, Личный кабинет <\nnoreply@lk.example.ru>:\n\n> old"
    assert strip_quoted(zoho) == ANSWER
    assert strip_quoted(gmail) == ANSWER
