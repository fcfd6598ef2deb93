from django.contrib import admin

from goals.models import Goal, GoalIndicator, GoalSet


class GoalInline(admin.StackedInline):
    model = Goal
    extra = 0


class GoalIndicatorInline(admin.TabularInline):
    model = GoalIndicator
    extra = 0
    autocomplete_fields = ["indicator"]


@admin.register(GoalSet)
class GoalSetAdmin(admin.ModelAdmin):
    list_display = ["year", "letter_date", "letter_from"]
    inlines = [GoalInline]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["goal_set", "number", "text_da"]
    list_filter = ["goal_set"]
    inlines = [GoalIndicatorInline]
