from django.contrib import admin

from municipalities.models import Area, Membership, Municipality, MunicipalityAlias, UserRole


class AliasInline(admin.TabularInline):
    model = MunicipalityAlias
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["municipality"]


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


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["municipality", "area", "valid_from", "valid_to"]
    list_filter = ["area__kind"]
    search_fields = ["municipality__name", "area__name"]
    autocomplete_fields = ["municipality", "area"]


@admin.register(UserRole)
class UserRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "jobcentre", "municipality"]
    list_filter = ["role"]
    search_fields = ["user__username", "jobcentre__name", "municipality__name"]
    autocomplete_fields = ["municipality"]
