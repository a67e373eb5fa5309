from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from inspections.views import campaigns as campaign_views

from . import health, metrics

admin.site.site_header = _("CCHC Inspect administration")
admin.site.site_title = _("CCHC Inspect")

urlpatterns = [
    path("", campaign_views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("notifications/", include("accounts.notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("campaigns/", include("inspections.urls")),
    path("reports/", include("reports.urls")),
    path("units/", include("communes.urls")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
]

handler400 = "cchc_inspect.views.bad_request"
handler403 = "cchc_inspect.views.permission_denied"
handler404 = "cchc_inspect.views.page_not_found"
handler500 = "cchc_inspect.views.server_error"
