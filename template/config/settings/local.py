"""Settings for a developer's machine: `python manage.py runserver`."""

from .base import *  # noqa: F403
from .base import REST_FRAMEWORK, env

DEBUG = env.bool("DEBUG", default=True)
# A fixed key is fine here: local data is throwaway. Production reads SECRET_KEY from the env.
SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-local-development-key-do-not-deploy")
# ".localhost" is localhost and every name under it (acme.localhost), which reach 127.0.0.1.
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[".localhost", "127.0.0.1", "[::1]"])

REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"] = [
    "rest_framework.renderers.JSONRenderer",
    "rest_framework.renderers.BrowsableAPIRenderer",
]
