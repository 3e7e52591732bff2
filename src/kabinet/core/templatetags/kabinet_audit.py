"""`{{ event.action|audit_label }}`: an audit code in words (the code itself when unregistered)."""

from django import template

from kabinet.core.audit_labels import audit_label as _audit_label

register = template.Library()


@register.filter
def audit_label(code: str) -> str:
    return _audit_label(code)
