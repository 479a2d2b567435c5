from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    # Sign-up, sign-in and sign-out, email verification, password reset and change, two-factor
    # authentication (django-allauth; the templates are in templates/account, mfa, allauth).
    path("accounts/", include("allauth.urls")),
]
