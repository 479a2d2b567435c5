"""Pages of the site itself: the home page and sign-up (sign-in and sign-out are Django's)."""

from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .forms import SignUpForm


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


@login_not_required
@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("home")
        # 422: htmx swaps it in place (see the htmx-config in base.html); browsers show it.
        return render(request, "registration/sign_up.html", {"form": form}, status=422)
    return render(request, "registration/sign_up.html", {"form": form})
