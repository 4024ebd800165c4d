"""Settings shared by every environment.

Everything that differs between machines comes from the environment:
DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS and the EMAIL_* variables.
Unset, the local defaults need no server at all (an SQLite file and Celery's
filesystem broker), so `make run` works on a laptop with nothing installed.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

SERVICE_NAME = "Placement assurance"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "django_celery_beat",
    "simple_history",
    "axes",
    "csp",
    # The house, from the bottom up (README, "Architecture"): staff, the register, the
    # duty engine, the workflows, the returns, the demo data.
    "accounts",
    "placements",
    "duties",
    "plans",
    "missing",
    "incidents",
    "reviews",
    "visits",
    "escalations",
    "scoping",
    "returns",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A request that failed because the database did: 503 "service unavailable" page.
    "core.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: no-store, private on every answer to a signed-in person.
    "core.middleware.PrivateResponseMiddleware",
    # Every page needs a signed-in user unless its view says otherwise
    # (sign-in, /healthz); static files are answered by whitenoise above.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Views of restricted records in the admin are logged like any other.
    "placements.admin_access.AdminRestrictedViewLog",
    # Last, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
    # 413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE, before anything reads it.
    "core.middleware.RequestBodyLimitMiddleware",
]

# Counts over a caseload and the lists rendered from them (core.count_cache), per
# process: each entry is keyed by the caseload version PostgreSQL advances on every write,
# so processes need not share it. A rendered list is at most about 50 KB: 2,000 entries
# bound the cache near 100 MB a process (a third are dropped when it is full).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "counts": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "counts",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
COUNT_CACHE_SECONDS = int(os.environ.get("COUNT_CACHE_SECONDS", "300"))

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.service",
                "duties.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 idle minutes: every request pushes the expiry on.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Repeated failed sign-ins lock the username out (from any address) for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
# Five failures for one username from one address lock that person out there; thirty from
# one address, whatever the usernames, lock the address (accounts.throttle).
AXES_HANDLER = "accounts.throttle.PersonAndAddressHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "30"))
# Behind a load balancer or proxy, the client's address is the one the nearest trusted
# proxy adds to X-Forwarded-For: TRUSTED_PROXY_COUNT says how many proxies to trust (0:
# none, the connection's own address). accounts.throttle.client_address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Staff sign in from council offices behind one shared address: locking by
# address would lock a whole office out after five typos, so the lock is per
# username, which is what protects an account from guessing.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, g:i a"
SHORT_DATE_FORMAT = "d/m/Y"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# static/dist is written by the asset build (GOV.UK Frontend and MOJ Frontend from npm).
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Never served at MEDIA_URL: a plan's document is answered only by plans:plan_document,
# which checks who may see the child.
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The largest document a plan or assessment may carry (plans.documents); the request
# body limit is raised for the plan forms' paths alone (core.middleware.takes_upload).
PLAN_ATTACHMENT_MAX_BYTES = int(os.environ.get("PLAN_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Pages load nothing from any other host, and run no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Email: console locally; set EMAIL_HOST (and friends) to send for real.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "placement-assurance@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when REDIS_URL is set, otherwise the filesystem broker, which
# needs no server (make run on a bare laptop).
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    _broker_dir = VAR_DIR / "celery-broker"
    # kombu's filesystem transport lists these folders and fails if they are missing.
    for _folder in ("processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
if REDIS_URL:
    # A Redis that accepts connections but does not answer must not hold a request.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_timeout": 5, "socket_connect_timeout": 3}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request that queues work (core.tasks.enqueue_on_commit) waits at most a few seconds
# for a broker that is down before leaving the work to the periodic jobs.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": 60 * 60,
    },
    # Every 15 minutes: 24-hour duties and email retries are picked up promptly, and a
    # run that overlaps another is harmless (alerts are keyed by duty and level).
    "send-overdue-alerts": {"task": "visits.send_overdue_alerts", "schedule": 15 * 60},
    # Scoping meeting invitations and changes to invitees who are not staff (and retries).
    "send-invitee-emails": {"task": "scoping.send_invitee_emails", "schedule": 15 * 60},
    # The safety net behind the services that keep duties up to date as things change.
    "recompute-all-duties": {
        "task": "visits.recompute_all_duties",
        "schedule": crontab(hour=2, minute=15),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# The authority this installation serves: a setting in another authority's area is "out of area".
AUTHORITY_NAME = os.environ.get("AUTHORITY_NAME", "Kent")

# The concern level a downgrade to Requires improvement puts a setting at (seed 001):
# each authority sets its own. One of none, minor, level_1, level_2.
REQUIRES_IMPROVEMENT_CONCERN_LEVEL = os.environ.get("REQUIRES_IMPROVEMENT_CONCERN_LEVEL", "level_1")
