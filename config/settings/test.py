"""Settings for the test suite: PostgreSQL always, as in production."""

import os

import dj_database_url

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret-" + "x" * 40
DATABASES = {
    "default": dj_database_url.parse(
        # Only the server is used: the suite runs in the TEST NAME database below.
        os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
}
# TEST_DATABASE_NAME lets parallel runs (or helpers) keep their own database.
DATABASES["default"]["TEST"] = {
    "NAME": os.environ.get("TEST_DATABASE_NAME", "test_placements"),
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
ALLOWED_HOSTS = ["*"]
AXES_FAILURE_LIMIT = 5
WHITENOISE_USE_FINDERS = True
# As production: a Redis that accepts connections but does not answer must not hold a request.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_timeout": 5, "socket_connect_timeout": 3}
# Every request computes its counts (a test measuring queries sees the same path each
# time); the tests of core.count_cache switch the cache on where they test it.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "counts": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
