"""Pages of the site itself: the home page and sign-up (sign-in and sign-out are Django's)."""

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from .forms import SignUpForm


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


@login_not_required
@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    """Create an account and sign in; then on to `?next=` (an invitation, say) or home."""
    next_url = _next_url(request)
    if request.user.is_authenticated:
        return redirect(next_url)
    form = SignUpForm(request.POST or None)
    context = {"form": form, "next": next_url if next_url != settings.LOGIN_REDIRECT_URL else ""}
    if request.method == "POST":
        if form.is_valid():
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(next_url)
        # 422: htmx swaps it in place (see the htmx-config in base.html); browsers show it.
        return render(request, "registration/sign_up.html", context, status=422)
    return render(request, "registration/sign_up.html", context)


def _next_url(request: HttpRequest) -> str:
    """Where `next` asks to go, if it is a page of this site; else LOGIN_REDIRECT_URL."""
    wanted = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if safe else settings.LOGIN_REDIRECT_URL
