"""Pages of the site itself; accounts (sign-up, sign-in, two-factor...) are django-allauth's."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")
