"""Settings for the benchmark (bench/run.py): production, plus what a bench needs.

Production settings as deployed, with four differences, all of them bench-only:

- ROOT_URLCONF is bench.urls: the product's URLs plus the trivial baseline views;
- a middleware that counts the queries of a request, only when the request asks for it
  (header ``X-Bench-Queries: 1``); timed requests do not ask;
- email goes nowhere (dummy backend): the overdue sweep does all its database work
  and renders every message, but no SMTP server is needed;
- static files are collected into bench/results/static (gitignored), not staticfiles/.

HTTPS is not switched off: the client sends ``X-Forwarded-Proto: https`` as the load
balancer would, so SECURE_SSL_REDIRECT, HSTS and the ``__Host-`` cookies stay as in
production. The environment bench/run.py sets (SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL, REDIS_URL) has defaults here so that `manage.py shell --settings
bench.settings` also works by hand.
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_1000")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from config.settings.production import *  # noqa: E402, F403
from config.settings.production import BASE_DIR, MIDDLEWARE, TEMPLATES  # noqa: E402

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
STATIC_ROOT = BASE_DIR / "bench" / "results" / "static"
TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]}]
