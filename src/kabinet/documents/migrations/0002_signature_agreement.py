"""The signature agreement (63-ФЗ art. 9), version 1: shipped so a deployment can sign from day
one; an organisation publishes its own text as a new version in the back office."""

import datetime

from django.db import migrations

TITLE = "Соглашение об использовании простой электронной подписи"
BODY = """1. Настоящее соглашение определяет порядок использования простой электронной подписи (ПЭП) \
в личном кабинете в соответствии со статьёй 9 Федерального закона от 06.04.2011 № 63-ФЗ \
«Об электронной подписи».
2. Ключом ПЭП является пароль подписи, заданный пользователем в профиле, либо одноразовый код, \
направленный в SMS на подтверждённый номер мобильного телефона пользователя.
3. Лицо, подписавшее документ, определяется по учётной записи личного кабинета, СНИЛС и номеру \
телефона, указанным при создании подписи.
4. Электронный документ, подписанный ПЭП, признаётся равнозначным документу на бумажном \
носителе, подписанному собственноручной подписью.
5. Пользователь обязан соблюдать конфиденциальность ключа ПЭП и не передавать его третьим лицам.
6. Подлинность подписи проверяется на странице проверки по коду, указанному в отметке о подписании."""


def ship(apps, schema_editor):
    LegalDocument = apps.get_model("core", "LegalDocument")
    if not LegalDocument.objects.filter(kind="esign_agreement").exists():
        LegalDocument.objects.create(
            kind="esign_agreement",
            version=1,
            title=TITLE,
            body=BODY,
            effective_from=datetime.date(2026, 1, 1),
        )


def unship(apps, schema_editor):
    LegalDocument = apps.get_model("core", "LegalDocument")
    LegalDocument.objects.filter(kind="esign_agreement", version=1, title=TITLE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_documents_and_signatures"),
        ("core", "0004_legal_document_esign_agreement"),
    ]

    operations = [migrations.RunPython(ship, unship)]
