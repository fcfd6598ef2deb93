from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    name = "municipalities"
    verbose_name = _("Municipalities and areas")

    def ready(self):
        from municipalities import signals  # noqa: F401  (forgets cached users and lookups when they change)
