from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/sign-in/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    # Open to everyone: signing out must work wherever one is signed in (see tenancy pages).
    path("accounts/sign-out/", login_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path("accounts/sign-up/", views.sign_up, name="sign_up"),
]
