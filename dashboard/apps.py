from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The screens people use, above the goals: the municipality and jobcentre dashboards, and (to come) the
    ministry's comparison. Nothing below imports from here (tests/unit/test_layers.py)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "dashboard"
    verbose_name = _("Dashboards")
