"""What identity's audit codes mean, in words (registered in IdentityConfig.ready)."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    "login.success": _("Вход в кабинет"),
    "login.failed": _("Неудачная попытка входа"),
    "login.lockout": _("Вход заблокирован после неудачных попыток"),
    "login.unlock": _("Вход разблокирован сотрудником"),
    "logout": _("Выход"),
    "impersonation.start": _("Сотрудник начал работу под учётной записью клиента"),
    "impersonation.end": _("Сотрудник закончил работу под учётной записью клиента"),
    "profile.update": _("Изменены данные профиля"),
    "user.create": _("Создана учётная запись"),
    "user.signup": _("Регистрация в кабинете"),
    "password.initial_changed": _("Выданный пароль заменён своим"),
    "password.reset": _("Пароль восстановлен"),
    "consent.give": _("Дано согласие"),
    "consent.withdraw": _("Согласие отозвано"),
    "otp.issue": _("Выслан одноразовый код"),
    "otp.issue_refused": _("Отказано в отправке одноразового кода"),
    "phone.confirm": _("Номер мобильного телефона подтверждён"),
    "phone.release": _("Неподтверждённый номер снят: его подтвердил владелец номера"),
    "notifications.preferences": _("Изменены подписки на уведомления"),
}

# In a person's own security log some events read better addressed to them.
OWN_LOG_LABELS = {
    "impersonation.start": _("Сотрудник начал работу под вашей учётной записью"),
    "impersonation.end": _("Сотрудник закончил работу под вашей учётной записью"),
}
