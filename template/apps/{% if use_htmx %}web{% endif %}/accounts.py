"""How django-allauth's accounts fit the project (settings.ACCOUNT_ADAPTER)."""

from typing import cast

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.base_user import AbstractBaseUser
from django.forms import BaseForm
from django.http import HttpRequest

from apps.core.proxies import client_ip
from apps.users import services
from apps.users.models import User


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """The client as django-axes and the API's throttles see it (TRUSTED_PROXY_COUNT), so
        allauth's rate limits count each client once, behind any number of proxies."""
        return client_ip(request)

    def save_user(
        self, request: HttpRequest, user: AbstractBaseUser, form: BaseForm, commit: bool = True
    ) -> AbstractBaseUser:
        """allauth fills the new account in from the sign-up form; the users service saves it."""
        user = super().save_user(request, user, form, commit=False)
        if commit:
            services.create_user(cast(User, user))
        return user
