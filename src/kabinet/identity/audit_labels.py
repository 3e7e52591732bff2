"""What identity's audit codes mean, in words (registered in IdentityConfig.ready)."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    "login.success": _("Вход в кабинет"),
    "staff.roles_changed": _("Изменены роли сотрудника"),
    "login.failed": _("Неудачная попытка входа"),
    "login.lockout": _("Вход заблокирован после неудачных попыток"),
    "login.unlock": _("Вход разблокирован сотрудником"),
    "login.unlock_reset": _("Блокировка входа снята после восстановления пароля"),
    "logout": _("Выход"),
    "impersonation.start": _("Сотрудник начал работу под учётной записью клиента"),
    "impersonation.end": _("Сотрудник закончил работу под учётной записью клиента"),
    "impersonation.write": _("Сотрудник внёс изменение под учётной записью клиента"),
    "profile.update": _("Изменены данные профиля"),
    "user.create": _("Создана учётная запись"),
    "user.signup": _("Регистрация в кабинете"),
    "password.initial_changed": _("Выданный пароль заменён своим"),
    "password.reset": _("Пароль восстановлен"),
    "password.change": _("Пароль изменён"),
    "password.set": _("Пароль задан"),
    "email.add": _("Добавлен адрес электронной почты"),
    "email.confirm": _("Адрес электронной почты подтверждён"),
    "email.change": _("Адрес электронной почты для входа изменён"),
    "email.remove": _("Адрес электронной почты удалён"),
    "mfa.add": _("Включена двухфакторная аутентификация"),
    "mfa.remove": _("Отключена двухфакторная аутентификация"),
    "mfa.recovery_codes": _("Созданы новые резервные коды"),
    "sessions.end": _("Завершены другие сеансы"),
    "consent.give": _("Дано согласие"),
    "consent.withdraw": _("Согласие отозвано"),
    "otp.issue": _("Выслан одноразовый код"),
    "otp.issue_refused": _("Отказано в отправке одноразового кода"),
    "phone.confirm": _("Номер мобильного телефона подтверждён"),
    "phone.release": _("Неподтверждённый номер снят: его подтвердил владелец номера"),
    "api_token.create": _("Создан токен доступа для приложений"),
    "api_token.revoke": _("Токен доступа для приложений отозван"),
    "api_token.use": _("Приложение обратилось к кабинету по токену"),
}

# In a person's own security log some events read better addressed to them.
OWN_LOG_LABELS = {
    "impersonation.start": _("Сотрудник начал работу под вашей учётной записью"),
    "impersonation.end": _("Сотрудник закончил работу под вашей учётной записью"),
    "impersonation.write": _("Сотрудник внёс изменение под вашей учётной записью"),
}
