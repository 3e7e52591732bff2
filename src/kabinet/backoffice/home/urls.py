from django.urls import path

from kabinet.backoffice.home import views

urlpatterns = [path("", views.home, name="home")]
