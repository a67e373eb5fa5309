from django.contrib import admin

from .models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["kind", "plan", "visit", "version", "status", "progress", "page_count", "requested_at"]
    list_filter = ["kind", "status"]
    search_fields = ["plan__title", "visit__unit__name", "sha256"]
    raw_id_fields = ["plan", "visit", "requested_by"]
    readonly_fields = ["sha256", "size", "page_count", "started_at", "finished_at", "error"]
