"""`{% load metering %}`: readings and periods in Russian."""

from django import template

from kabinet.metering.display import format_amount, format_reading, period_label

register = template.Library()


@register.filter
def reading(value, decimals=0):
    """{{ value|reading:meter.decimals }} → 12 345"""
    return format_reading(value, int(decimals or 0))


@register.filter
def amount(value):
    """{{ consumption|amount }} → 1 114 or 2,5"""
    return format_amount(value)


@register.filter
def period(value):
    """{{ reading.period|period }} → май 2026"""
    return period_label(value) if value else ""
