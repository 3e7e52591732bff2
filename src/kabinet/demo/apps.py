from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "kabinet.demo"
    label = "demo"
    verbose_name = "Демо-данные"
