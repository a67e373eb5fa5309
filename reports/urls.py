"""URLs of the reports: requests, progress and permission-checked downloads."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("campaigns/<int:plan_pk>/", views.plan_reports, name="plan_reports"),
    path("campaigns/<int:plan_pk>/request/", views.report_request, name="request"),
    path("campaigns/<int:plan_pk>/texts/", views.report_texts, name="texts"),
    path("visits/<int:visit_pk>/", views.visit_reports, name="visit_reports"),
    path("<int:pk>/status/", views.report_status, name="status"),
    path("<int:pk>/retry/", views.report_retry, name="retry"),
    path("<int:pk>/download/", views.report_download, name="download"),
]
