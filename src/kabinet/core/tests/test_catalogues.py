"""Russian is the source language, but Russian counts take three forms (1 минуту, 2 минуты, 5 минут)
and a source string carries two: every plural message needs its three forms in the ru catalogue."""

import re
from pathlib import Path

from django.utils import translation
from django.utils.translation import ngettext

import kabinet

LOCALE = Path(kabinet.__file__).parent / "locale"
ENTRY = re.compile(
    r'^msgid ((?:".*"\n)+)msgid_plural ((?:".*"\n)+)((?:msgstr\[\d\] (?:".*"\n)+)+)', re.M
)


def _plurals(language: str) -> dict[str, list[str]]:
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    text = "\n".join(line for line in text.splitlines() if not line.startswith("#")) + "\n"

    def joined(block: str) -> str:
        return "".join(re.findall(r'"(.*)"', block))

    return {
        joined(m[1]): [joined(form) for form in re.split(r"msgstr\[\d\] ", m[3])[1:]]
        for m in ENTRY.finditer(text)
    }


def test_every_plural_message_has_its_three_russian_forms():
    # given every plural message the code uses (the English catalogue lists them all)
    missing = [
        msgid
        for msgid in _plurals("en")
        if len(_plurals("ru").get(msgid, [])) != 3 or not all(_plurals("ru")[msgid])
    ]
    # then the Russian catalogue gives each its forms for 1, 2–4 and 5+
    assert missing == []


def test_a_count_reads_in_russian():
    with translation.override("ru"):
        words = [
            ngettext(
                "Попробуйте снова через %(minutes)s минуту или восстановите пароль — это снимет блокировку.",
                "Попробуйте снова через %(minutes)s минут или восстановите пароль — это снимет блокировку.",
                n,
            )
            % {"minutes": n}
            for n in (1, 3, 15, 21)
        ]
    assert [w.split()[4] for w in words] == ["минуту", "минуты", "минут", "минуту"]
