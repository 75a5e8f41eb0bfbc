from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "bigscience_portal"
    verbose_name = "Portal"

    def ready(self):
        # Every app's search providers register themselves (bigscience_portal/search.py).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("search")
