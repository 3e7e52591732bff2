"""Template filters for Russian formats, available in every template (a builtin)."""

from django import template
from django.utils.html import format_html

from kabinet.core.formats.display import (
    format_month_in_text,
    format_phone,
    format_rub,
    nest_quotes,
)
from kabinet.core.validators import format_snils

register = template.Library()


@register.filter
def rub(value):
    """{{ bill.total|rub }} → 1 234,56 ₽"""
    return format_rub(value)


@register.filter(needs_autoescape=True)
def phone(value, autoescape=True):
    """{{ user.phone|phone }} → +7 (916) 123-45-67, kept on one line in a page: a narrow screen must
    not break a number at its hyphens (the number is escaped like any other value). Where escaping
    is off — a plain-text mail — the number comes as plain text."""
    text = format_phone(value)
    if not text or not autoescape:
        return text
    return format_html('<span class="text-nowrap">{}</span>', text)


@register.filter
def snils(value):
    """{{ customer.snils|snils }} → 112-233-445 95"""
    return format_snils(value)


@register.filter
def month_in_text(value):
    """«Счёт за {{ bill.period|month_in_text }}» → Счёт за октябрь 2026"""
    return format_month_in_text(value) if value else ""


@register.filter
def nested_quotes(value):
    """«организации «{{ name|nested_quotes }}»» → организации «ООО „Северный прокат“»"""
    return nest_quotes(value)
