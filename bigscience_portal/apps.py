from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "bigscience_portal"
    verbose_name = "Portal"
