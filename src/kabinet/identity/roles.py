"""Staff roles as groups with permissions, kept in sync after every migrate.

operator     — works the queues, sees customers

No role reads the demo mailbox and SMS (`identity.view_demo_mailbox`): they hold customers' reset
links and codes. The demo gives its own staff that permission directly (`kabinet.demo`).
supervisor   — an operator who also reads the audit log
administrator — a supervisor who also edits the organisation profile and legal texts and loads
                data from files (bulk import)
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

OPERATOR = "operator"
SUPERVISOR = "supervisor"
ADMINISTRATOR = "administrator"

ROLE_LABELS = {
    OPERATOR: _("Оператор"),
    SUPERVISOR: _("Руководитель"),
    ADMINISTRATOR: _("Администратор"),
}

_OPERATOR_PERMS = {
    "identity.access_backoffice",
    # unlocking a login blocked after failed passwords (django-axes' attempts)
    "axes.view_accessattempt",
    "axes.delete_accessattempt",
    # work under a customer's account, read-only (docs/domain.md)
    "identity.impersonate",
    # the quarantine of inbound mail: read, discard or mark handled (notifications sits below
    # identity, so its staff permissions are named here)
    "notifications.view_inboundmessage",
    "notifications.handle_inboundmessage",
    # notices and broadcasts: operators read them and their delivery log
    "notifications.view_broadcast",
}
# supervisors read the audit log, see the staff roles (administrators assign them) and write and
# send notices and broadcasts to customers
_SUPERVISOR_PERMS = _OPERATOR_PERMS | {
    "core.view_auditevent",
    "auth.view_group",
    "notifications.send_broadcast",
}
_ADMINISTRATOR_PERMS = _SUPERVISOR_PERMS | {
    "identity.manage_integrations",
    # outbound webhooks (notifications sits below identity, so its permission is named here)
    "notifications.manage_webhooks",
    # the mail and SMS texts of notification events (notifications.template_services)
    "notifications.view_notificationtemplate",
    "notifications.change_notificationtemplate",
    "identity.impersonate_write",
    "core.view_organisation",
    "core.change_organisation",
    "core.view_legaldocument",
    "core.add_legaldocument",
    # switching installed modules off and on (core.services.module_setting_set)
    "core.view_modulesetting",
    "core.change_modulesetting",
    # the bulk import of accounts, meters and bills (core/import_services.py)
    "core.run_import",
    # staff roles: who holds which (identity.services.staff_roles_set)
    "auth.change_group",
}

ROLE_PERMISSIONS: dict[str, set[str]] = {
    OPERATOR: _OPERATOR_PERMS,
    SUPERVISOR: _SUPERVISOR_PERMS,
    ADMINISTRATOR: _ADMINISTRATOR_PERMS,
}


def register_role_permissions(role: str, *perms: str) -> None:
    """Domain apps add their staff permissions to a role (called from `AppConfig.ready()`)."""
    ROLE_PERMISSIONS[role].update(perms)
    if role == OPERATOR:
        ROLE_PERMISSIONS[SUPERVISOR].update(perms)
    if role in (OPERATOR, SUPERVISOR):
        ROLE_PERMISSIONS[ADMINISTRATOR].update(perms)


def sync_staff_roles(**kwargs) -> None:
    """Create the role groups and give them exactly their permissions (idempotent)."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        query = Q(pk__in=[])
        for perm in perms:
            app_label, codename = perm.split(".", 1)
            query |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(query))
