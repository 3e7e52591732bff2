"""What the documents' audit codes mean, in words (registered in DocumentsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    "documents.document_send": _("Документ: направлен клиенту"),
    "documents.document_upload": _("Документ: загружен клиентом"),
    "documents.document_issued": _("Документ: сформирован системой и направлен на подпись"),
    "documents.version_add": _("Документ: новая версия"),
    "documents.document_view": _("Документ: просмотрен клиентом"),
    "documents.document_sign": _("Документ: подписан простой электронной подписью"),
    "documents.document_reject": _("Документ: отклонён клиентом"),
    "documents.signature_key_create": _("Электронная подпись: создана"),
    "documents.signing_code_send": _("Электронная подпись: отправлен код подписания"),
}
