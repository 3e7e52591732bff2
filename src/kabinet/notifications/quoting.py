"""Cut the quoted letter and the signature off a reply, leaving what the person wrote.

mail-parser-reply (the maintained library for this) knows no Russian mail clients, so this is a small
function of our own, tested on the attribution lines of Gmail, Outlook, Yandex, Mail.ru, Apple Mail
and Thunderbird in Russian and English:

    пт, 17 мая 2024 г. в 12:00, Иван Иванов <ivan@example.ru>:        (Gmail)
    17.05.2024, 12:00, "Иван Иванов" <ivan@example.ru>:               (Yandex)
    Пятница, 17 мая 2024, 12:00 +03:00 от Иван Иванов <ivan@mail.ru>:  (Mail.ru)
    17.05.2024 12:00, Иван Иванов пишет:                               (Thunderbird)
    17 мая 2024 г., в 12:00, Иван <ivan@example.ru> написал(а):        (Apple Mail)
    От: … / Отправлено: … / Кому: … / Тема: …                          (Outlook)
    On Fri, May 17, 2024 at 12:00 PM Ivan <ivan@example.com> wrote:   (English clients)

Lines starting with ">" are quotes wherever they stand, so inline answers between quotes stay.
"""

from __future__ import annotations

import re

_ADDRESS_COLON = re.compile(r"<[^<>\s@]+@[^<>\s]+>\s*:\s*$")
_WROTE = re.compile(
    r"(wrote|написал|написала|написал\(а\)|написал\(a\)|пишет|schrieb|a écrit)\s*:\s*$",
    re.IGNORECASE,
)
_MAILRU_FROM = re.compile(r"\bот\s+[^\s<>]+@[^\s<>]+\s*:\s*$", re.IGNORECASE)
_SEPARATORS = re.compile(
    r"^\s*(-{2,}\s*)?("
    r"original message|исходное сообщение|пересылаемое сообщение|forwarded message"
    r"|перенаправленное сообщение"
    r")(\s*-{2,})?\s*$",
    re.IGNORECASE,
)
_UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")
_HEADER_FROM = re.compile(r"^\s*\*?(from|от|отправитель)\s*:\*?\s*\S", re.IGNORECASE)
_HEADER_NEXT = re.compile(
    r"^\s*\*?(sent|date|to|subject|отправлено|дата|кому|тема)\s*:", re.IGNORECASE
)
_SIGNATURE = re.compile(r"^--\s?$")
_DEVICE_LINES = re.compile(
    r"^\s*(sent from my \w+.*|get outlook for \w+.*"
    r"|отправлено (с|из|через) .{0,60}|отправлено с моего .{0,40}|"
    r"с уважением,? отправлено .{0,60})$",
    re.IGNORECASE,
)


def _is_attribution(line: str) -> bool:
    line = line.strip()
    if not line or len(line) > 300:
        return False
    has_digit = any(ch.isdigit() for ch in line)
    if _WROTE.search(line) and (has_digit or "@" in line):
        return True
    return bool(has_digit and (_ADDRESS_COLON.search(line) or _MAILRU_FROM.search(line)))


def _cut_index(lines: list[str]) -> tuple[int | None, int]:
    """Where the quoted part starts and how many lines its heading takes."""
    for index, line in enumerate(lines):
        if _SIGNATURE.match(line):
            return index, 1
        if _SEPARATORS.match(line):
            return index, 1
        if _UNDERSCORES.match(line) and any(
            _HEADER_FROM.match(x) for x in lines[index + 1 : index + 3]
        ):
            return index, 1
        if _HEADER_FROM.match(line) and any(
            _HEADER_NEXT.match(x) for x in lines[index + 1 : index + 5]
        ):
            return index, 1
        if _is_attribution(line):
            return index, 1
        # an attribution wrapped over two lines: "On …, Ivan <ivan@example.com>" / "wrote:"
        if (
            index + 1 < len(lines)
            and _is_attribution(line.rstrip() + " " + lines[index + 1].strip())
            and not lines[index + 1].lstrip().startswith(">")
        ):
            return index, 2
    return None, 0


def _tidy(lines: list[str]) -> str:
    kept = [
        line.rstrip()
        for line in lines
        if not line.lstrip().startswith(">") and not _DEVICE_LINES.match(line.strip())
    ]
    text = "\n".join(kept)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def strip_quoted(text: str) -> str:
    """The new text of a reply: without the quoted letter, `>` quotes and the signature."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut, heading = _cut_index(lines)
    if cut is None:
        return _tidy(lines)
    top = _tidy(lines[:cut])
    if top:
        return top
    # bottom-posting: the answer stands under the quote; drop the heading and the quoted lines only
    rest = lines[cut + heading :]
    signature, _ = _cut_index(rest)
    if signature is not None and _SIGNATURE.match(rest[signature]):
        rest = rest[:signature]
    return _tidy(rest)
