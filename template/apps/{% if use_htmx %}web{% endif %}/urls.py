from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/sign-in/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/sign-up/", views.sign_up, name="sign_up"),
]
