"""django-simple-captcha, installed without its translation catalogue.

Its Russian catalogue also translates Django's own «This field is required.» (as «Это поле обязательно
для заполнения.»), and an installed app's catalogue wins over Django's: every form of the portal
would change its wording. Pointing the app's path away from the package drops the catalogue (and
its templates: ours are in identity/templates/captcha/); models, views and fonts are unaffected.
"""

from pathlib import Path

from django.apps import AppConfig


class CaptchaConfig(AppConfig):
    name = "captcha"
    label = "captcha"
    verbose_name = "CAPTCHA"
    default_auto_field = "django.db.models.AutoField"
    path = str(Path(__file__).resolve().parent / "_captcha_without_locale")
