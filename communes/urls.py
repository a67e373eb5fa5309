from django.urls import path

from . import views

app_name = "communes"

urlpatterns = [
    path("", views.unit_register, name="unit_register"),
    path("<int:pk>/", views.unit_detail, name="unit_detail"),
]
