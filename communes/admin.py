from django.contrib import admin

from .models import AdministrativeUnit, Department, UnitSuccession


class SuccessionInline(admin.TabularInline):
    model = UnitSuccession
    fk_name = "successor"
    extra = 0
    autocomplete_fields = ["predecessor"]


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "parent", "valid_from", "valid_to"]
    list_filter = ["kind", "level", "valid_to"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    inlines = [SuccessionInline, DepartmentInline]


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor", "effective_on", "legal_basis"]
    search_fields = ["predecessor__name", "successor__name", "legal_basis"]
    list_filter = ["effective_on"]
    autocomplete_fields = ["predecessor", "successor"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "authority", "is_standing_body", "order"]
    list_filter = ["is_standing_body", "authority"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["authority"]
