from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from goals import goalsets
from goals.models import Change, ChartSnapshot, Commentary, Goal, GoalIndicator, GoalSet, Target
from indicators.admin import NationalChoices


class GoalInline(admin.StackedInline):
    model = Goal
    extra = 0


class GoalIndicatorInline(NationalChoices, admin.StackedInline):
    """A goal's indicators and how each is shown (the goal set is the one source of it); a municipality's own
    indicator's link is its jobcentre's (indicators/admin.py)."""

    model = GoalIndicator
    extra = 0
    autocomplete_fields = ["indicator"]
    fieldsets = [
        (None, {"fields": ["indicator", "role", "order"]}),
        (
            _("How it is shown"),
            {
                "fields": [
                    "chart",
                    ("with_country", "with_peers"),
                    "lead_breakdown",
                    ("lead_label_da", "lead_label_en"),
                    "breakdown_charts",
                ]
            },
        ),
    ]


@admin.display(description=_("year"), ordering="year")
def year_shown(obj) -> str:
    return str(obj.year)  # a year, not a number: 2021, never "2.021"


@admin.register(GoalSet)
class GoalSetAdmin(admin.ModelAdmin):
    list_display = [year_shown, "letter_date", "letter_from"]
    inlines = [GoalInline]
    actions = ["copy_to_next_year"]

    @admin.action(description=_("Copy as the next year's goals (goals, indicators and how they are shown)"))
    def copy_to_next_year(self, request, queryset):
        if not self.has_add_permission(request):
            raise PermissionDenied
        for goal_set in queryset.order_by("year"):
            try:
                new = goalsets.copy(goal_set, goal_set.year + 1)
            except ValueError as exc:
                self.message_user(request, str(exc), messages.ERROR)
                continue
            said = _(
                'The goals for {year} were made as a copy of {before}\'s: <a href="{link}">correct the letter, the '
                "goals' wording and their indicators</a> as the new letter says. The charts are drawn by the next "
                "rebuild."
            )
            link = reverse("admin:goals_goalset_change", args=[new.pk])
            self.message_user(
                request, format_html(said, year=new.year, before=goal_set.year, link=link), messages.SUCCESS
            )


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["goal_set", "number", "text_da"]
    list_filter = ["goal_set"]
    inlines = [GoalIndicatorInline]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["jobcentre", "indicator", year_shown, "value", "note", "updated_by", "updated_at"]
    list_filter = ["year", "indicator"]
    search_fields = ["jobcentre__name"]


@admin.register(Commentary)
class CommentaryAdmin(admin.ModelAdmin):
    list_display = ["jobcentre", "goal", "updated_by", "updated_at"]


@admin.register(Change)
class ChangeAdmin(admin.ModelAdmin):
    """The audit trail: read only, so nobody can rewrite what was changed."""

    list_display = ["at", "user", "jobcentre", "what", "old_value", "new_value"]
    list_filter = ["jobcentre"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChartSnapshot)
class ChartSnapshotAdmin(admin.ModelAdmin):
    list_display = ["area", "key", "language", "data_version", "is_demo", "built_at"]
    list_filter = ["key", "language"]
    search_fields = ["area__name"]
    readonly_fields = ["figure", "table"]
