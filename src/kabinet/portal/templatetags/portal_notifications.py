"""The bell's unread count (one query per page, only where the bell is shown)."""

from django import template

from kabinet.notifications.selectors import notification_unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def notifications_unread(context) -> int:
    request = context.get("request")
    if request is None:
        return 0
    if not hasattr(request, "_notifications_unread"):
        request._notifications_unread = notification_unread_count(request.user)
    return request._notifications_unread
