"""Settings for the test suite (pytest-django): fast, isolated, no external service needed.

Set DATABASE_URL to run the same suite on PostgreSQL.
"""

import os

# Before base reads the environment: the tests, and every process they start, ignore the
# developer's .env (set DATABASE_URL or REDIS_URL in the environment to use them in tests).
os.environ["DJANGO_READ_ENV_FILE"] = "false"

from .base import *  # noqa: F403
from .base import CACHES, env

SECRET_KEY = "test-only-key-never-used-outside-the-test-suite-0123456789"
DEBUG = False
# ".localhost": localhost and its subdomains, which browsers resolve to this machine.
ALLOWED_HOSTS = ["testserver", ".localhost"]

# Whatever a developer's .env says: tests visit the admin and the API's docs at these.
ADMIN_URL = "admin/"
API_DOCS = "public"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Static files are never collected for tests; find them in the apps instead.
WHITENOISE_AUTOREFRESH = True
CACHES["default"].update(
    env.cache_url_config(env.str("CACHE_URL", default="") or "locmemcache://test")
)
