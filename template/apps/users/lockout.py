"""Sign-in lockouts, django-axes' part of the project (configured in settings, "Brute-force
protection"): which account an attempt is for and what a locked-out browser sees. The API
answers a lockout in its own error shape instead (apps/core/api/exceptions.py); what a
successful sign-in forgets is in receivers.py."""

import math
from http import HTTPStatus
from typing import Any

from axes.helpers import get_cool_off
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from .models import User


def attempted_account(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account an attempt is for, compared as signing in compares it: case-insensitively
    (AXES_USERNAME_CALLABLE). The API's token endpoint calls it `email`, Django's sign-in forms
    `username`; without this, "Ada@…" and "ada@…" would each get their own allowance."""
    credentials = credentials or {}
    name = credentials.get(User.USERNAME_FIELD, credentials.get("username"))
    return name.lower() if isinstance(name, str) else None


def lockout_seconds(request: HttpRequest) -> int:
    """How long a lockout lasts (AXES_COOLOFF_TIME), sent as Retry-After."""
    cool_off = get_cool_off(request)
    return math.ceil(cool_off.total_seconds()) if cool_off else 0


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """A 429 page for a browser whose sign-in django-axes refused (AXES_LOCKOUT_CALLABLE):
    the admin's own look on the admin, the site's elsewhere. It says the same whether or not
    the account exists."""
    seconds = lockout_seconds(request)
    context: dict[str, Any] = {"minutes": math.ceil(seconds / 60)}
    if request.path.startswith(reverse("admin:index")):
        context |= admin.site.each_context(request)
        templates = ["admin/locked_out.html"]
    else:
        templates = ["registration/locked_out.html", "admin/locked_out.html"]
    response = render(request, templates, context, status=HTTPStatus.TOO_MANY_REQUESTS)
    response["Retry-After"] = str(seconds)
    return response
