from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
]
