"""How django-allauth's accounts fit the project (settings.ACCOUNT_ADAPTER)."""

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from apps.core.proxies import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """The client as django-axes and the API's throttles see it (TRUSTED_PROXY_COUNT), so
        allauth's rate limits count each client once, behind any number of proxies."""
        return client_ip(request)
