from django.contrib import admin

from municipalities.models import Area, Boundary, Membership, Municipality, MunicipalityAlias, UserRole


class AliasInline(admin.TabularInline):
    model = MunicipalityAlias
    extra = 0


def _shared_areas(db_field, kwargs) -> dict:
    # A group a user saved for themselves is theirs alone: no membership can be put into it from the admin, whatever
    # id a request sends (issue 20, R9). The choices are the shared areas only, so another is refused by the form.
    if db_field.name == "area":
        kwargs["queryset"] = Area.objects.filter(owner__isnull=True)
    return kwargs


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["municipality"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **_shared_areas(db_field, kwargs))


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "label_lon", "label_lat"]
    search_fields = ["code", "name", "aliases__name"]
    inlines = [AliasInline]


@admin.register(MunicipalityAlias)
class MunicipalityAliasAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "note"]
    search_fields = ["name", "municipality__name"]
    autocomplete_fields = ["municipality"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}
    autocomplete_fields = ["municipality"]
    inlines = [MembershipInline]
    exclude = ["owner"]

    def get_queryset(self, request):
        # A group a user saved for themselves is theirs alone (municipalities/groups.py), in the admin too.
        return super().get_queryset(request).filter(owner__isnull=True)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["municipality", "area", "valid_from", "valid_to"]
    list_filter = ["area__kind"]
    search_fields = ["municipality__name", "area__name"]
    autocomplete_fields = ["municipality", "area"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(area__owner__isnull=True)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **_shared_areas(db_field, kwargs))


@admin.register(UserRole)
class UserRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "jobcentre", "municipality"]
    list_filter = ["role"]
    search_fields = ["user__username", "jobcentre__name", "municipality__name"]
    autocomplete_fields = ["municipality"]


@admin.register(Boundary)
class BoundaryAdmin(admin.ModelAdmin):
    """Read-only: boundaries come from `manage.py load_boundaries`, which checks them first."""

    list_display = ["municipality", "loaded_at"]
    search_fields = ["municipality__name", "municipality__code"]
    readonly_fields = ["municipality", "source", "loaded_at"]
    exclude = ["geometry"]  # hundreds of coordinates: nothing to read in a form

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
