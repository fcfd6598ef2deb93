from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "goals"
    verbose_name = _("Goals")

    def ready(self):
        from goals import signals  # noqa: F401  (connects the chart rebuild to finished imports)
        from indicators import schedule

        schedule.register(
            ("Charts: render those whose queued rebuild never came", "goals.tasks.render_pending", "*", "*", "*")
        )
