"""Quoted letters and signatures are cut off replies from the mail clients people in Russia use."""

import pytest

from kabinet.notifications.quoting import strip_quoted

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
