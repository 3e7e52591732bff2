"""Staff URLs of «Поставки» (namespace backoffice:supply)."""

from django.urls import include, path

from kabinet.backoffice.supply import views

patterns = [
    path("demands/", views.demand_queue, name="demands"),
    path("demands/<uuid:public_id>/", views.demand_detail, name="demand"),
    path("customers/<uuid:public_id>/", views.customer_orders, name="customer"),
    path("orders/<uuid:public_id>/", views.order_detail, name="order"),
]

urlpatterns = [path("supply/", include((patterns, "supply")))]
