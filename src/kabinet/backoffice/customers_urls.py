"""Staff URLs about customers (included into the back office's namespace)."""

from django.urls import path

from kabinet.backoffice import accounts_views
from kabinet.backoffice import customers_views as views

urlpatterns = [
    path("customers/", views.customer_list, name="customer_list"),
    path("customers/<uuid:customer_id>/", views.customer_detail, name="customer_detail"),
    path("customers/<uuid:customer_id>/bind/", views.customer_bind, name="customer_bind"),
    path("customers/<uuid:customer_id>/confirm/", views.customer_confirm, name="customer_confirm"),
    path("applications/", views.application_list, name="application_list"),
    path(
        "applications/<uuid:application_id>/",
        views.application_detail,
        name="application_detail",
    ),
    path(
        "applications/<uuid:application_id>/document/",
        views.application_document,
        name="application_document",
    ),
    path(
        "customers/<uuid:customer_id>/accounts/",
        accounts_views.customer_account_link,
        name="customer_account_link",
    ),
    path("account-requests/", accounts_views.link_request_list, name="account_link_requests"),
    path(
        "account-requests/<uuid:request_id>/",
        accounts_views.link_request_decide,
        name="account_link_request_decide",
    ),
    path("domains/", views.domain_list, name="domain_list"),
    path("domains/<uuid:domain_id>/review/", views.domain_review, name="domain_review"),
]


def register_navigation() -> None:
    """Called from BackofficeConfig.ready()."""
    from django.utils.translation import gettext_lazy as _

    from kabinet.core.modules import NavEntry, register_nav

    section = _("Клиенты")
    register_nav(
        NavEntry(
            "backoffice",
            _("Клиенты"),
            "backoffice:customer_list",
            order=100,
            section=section,
            permission="customers.view_customer",
        ),
        NavEntry(
            "backoffice",
            _("Заявки на подключение"),
            "backoffice:application_list",
            order=110,
            section=section,
            permission="customers.review_connectionapplication",
        ),
        NavEntry(
            "backoffice",
            _("Привязка лицевых счетов"),
            "backoffice:account_link_requests",
            module="accounts",
            order=115,
            section=section,
            permission="customers.view_accountlinkrequest",
        ),
        NavEntry(
            "backoffice",
            _("Почтовые домены"),
            "backoffice:domain_list",
            order=120,
            section=section,
            permission="customers.view_customer",
        ),
    )
