from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Committee reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from indicators import schedule
        from reports import signals  # noqa: F401

        schedule.register(
            ("Reports: queue again those whose worker went away", "reports.tasks.resume_stalled", "*", "*", "*")
        )
