from django.urls import path

from .urls_district import urlpatterns as district_urlpatterns
from .urls_portal import urlpatterns as portal_urlpatterns
from .views import campaigns, search

app_name = "inspections"

urlpatterns = [
    path("<int:pk>/", campaigns.plan_detail, name="plan_detail"),
    path("visits/<int:pk>/", campaigns.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/evidence/", campaigns.visit_evidence, name="visit_evidence"),
    path("search/", search.search, name="search"),
    *district_urlpatterns,
    *portal_urlpatterns,
]
