"""«Счета» (module billing; namespace portal:bills), «Оплата» with the providers' notification URL
(module payments; namespace portal:payments) and «Акт сверки» (modules billing or reconciliation;
namespace portal:acts)."""

from django.urls import include, path

from kabinet.portal.billing import act_views, payment_views, views

bill_patterns = [
    path("bills/", views.bill_list, name="list"),
    path("bills/<uuid:public_id>/", views.bill_detail, name="detail"),
    path("bills/<uuid:public_id>/receipt.pdf", views.bill_receipt, name="receipt"),
    path(
        "bills/<uuid:public_id>/receipt/status/",
        views.bill_receipt_status,
        name="receipt_status",
    ),
]

act_patterns = [
    path("", act_views.act, name="act"),
    path("<uuid:public_id>/", act_views.act_detail, name="detail"),
    path("<uuid:public_id>/repeat/", act_views.act_repeat, name="repeat"),
    path("<uuid:public_id>/act.pdf", act_views.act_file, {"kind": "pdf"}, name="pdf"),
    path("<uuid:public_id>/act.xlsx", act_views.act_file, {"kind": "xlsx"}, name="xlsx"),
]

payment_patterns = [
    path("payments/", payment_views.pay, name="pay"),
    path("payments/history/", payment_views.payment_history, name="history"),
    path("payments/<uuid:public_id>/", payment_views.payment_detail, name="detail"),
    path(
        "payments/invoices/<uuid:public_id>/pay/",
        payment_views.request_invoice_pay,
        name="request_invoice_pay",
    ),
    path("payments/notify/<slug:provider>/", payment_views.notification, name="notification"),
]

urlpatterns = [
    path("", include((bill_patterns, "bills"))),
    path("acts/", include((act_patterns, "acts"))),
    path("", include((payment_patterns, "payments"))),
]
