from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("sign-ins/", views.signin_history, name="signin_history"),
    path("lockouts/", views.lockout_list, name="lockout_list"),
    path("lockouts/clear/", views.lockout_clear, name="lockout_clear"),
]
