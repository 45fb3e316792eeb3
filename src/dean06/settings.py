"""Django settings, all read from the environment (see dean06.config and docs/deploy.md)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from huey import SqliteHuey

from dean06 import config

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = config.data_dir()

DEBUG = config.env_flag("DEAN06_DEBUG")
# The demo's fixed day (core.clock); `dean06 serve` refuses to run with it.
DEMO_TODAY = config.demo_today()
SECRET_KEY = config.secret_key(DATA_DIR)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DEAN06_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DEAN06_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "huey.contrib.djhuey",
    "axes",
    "dean06.core",
    "dean06.orgs",
    "dean06.accounts",
    "dean06.plans",
    "dean06.tracking",
    "dean06.kpis",
    "dean06.quality",
    "dean06.documents",
    "dean06.reports",
    "dean06.notifications",
    "dean06.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dean06.web.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dean06.urls"
WSGI_APPLICATION = "dean06.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dean06.web.context.navigation",
            ],
        },
    },
]

DATABASE_URL = config.database_url(DATA_DIR)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and a worker share the embedded database.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": config.env_int("DEAN06_SQLITE_BUSY_SECONDS", 20, minimum=1),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    _sqlite_name = str(DATABASES["default"].get("NAME") or "")
    if _sqlite_name and _sqlite_name != ":memory:" and not _sqlite_name.startswith("file:"):
        config.private_file(Path(_sqlite_name))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Argon2 for every new or changed password; hashes made before (PBKDF2) still verify and are
# re-hashed with Argon2 at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "dean06.accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout (django-axes, dean06.accounts.lockout): after DEAN06_LOGIN_FAILURES wrong passwords
# for one account, or from one address, sign-in is refused for DEAN06_LOCKOUT_MINUTES or until an
# administrator unlocks it (`dean06 manage unlock`, audited).
AXES_FAILURE_LIMIT = config.env_int("DEAN06_LOGIN_FAILURES", 10, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=config.env_int("DEAN06_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "dean06.accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "dean06.accounts.lockout.locked_out"
AXES_VERBOSE = False
# Only failed sign-ins are kept (the lockout needs them; a success clears them): no log of every
# successful sign-in with its address and browser (Decree 13/2023: only what the job needs).
AXES_DISABLE_ACCESS_LOG = True
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Single sign-on through the province's OpenID provider (DEAN06_OIDC_*, docs/deploy.md): off
# unless an issuer or the endpoints are set. When on, the provider's backend is added after the
# password ones (password sign-in keeps working), the /oidc/ pages are mounted (dean06.urls) and
# the sign-in page shows the button. The package is an optional extra: `dean06[oidc]`.
OIDC_PROVIDER = config.oidc_provider()
OIDC_ENABLED = OIDC_PROVIDER is not None
if OIDC_PROVIDER is not None:
    import importlib.util

    if importlib.util.find_spec("mozilla_django_oidc") is None:
        raise config.ConfigError(
            "Đăng nhập một lần (DEAN06_OIDC_*) cần gói mozilla-django-oidc: "
            "pip install 'dean06[oidc]'. (mozilla-django-oidc is not installed)"
        )
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "dean06.accounts.oidc.OIDCBackend"]
    globals().update(OIDC_PROVIDER.django_settings())
    # A refused single sign-on counts against the address like a wrong password (django-axes);
    # the one-time code and state it carried are not kept in the attempt's record.
    AXES_SENSITIVE_PARAMETERS = ["code", "state", "code_verifier", "nonce"]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Static files are served from the installed package by WhiteNoise: no collectstatic step is
# needed. A deployment that wants a front server to serve them sets DEAN06_STATIC_ROOT.
STATIC_ROOT = os.environ.get("DEAN06_STATIC_ROOT") or None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "files"
# Backups serialise rows with times to the microsecond (dean06.core.serialization).
SERIALIZATION_MODULES = {"precisejson": "dean06.core.serialization"}
# Uploaded plans and reports are the province's working documents: readable by the user running
# dean06 only, like the database they belong to.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STORAGES = {
    # Django's file storage that removes a half-written file and names a full disk clearly.
    "default": {"BACKEND": "dean06.core.files.CleanFileSystemStorage"},
    # Static files are public and may be served by a front server running as another user: the
    # private modes above (which Django also applies to `collectstatic`) are not for them.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "OPTIONS": {"file_permissions_mode": 0o644, "directory_permissions_mode": 0o755},
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
# A session lasts a working day (DEAN06_SESSION_HOURS, 8 by default) and ends when the browser
# closes: an office computer left on does not stay signed in overnight.
SESSION_COOKIE_AGE = 60 * 60 * config.env_int("DEAN06_SESSION_HOURS", 8, minimum=1)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy: scripts, styles, images and fonts only from this site; no inline script,
# no inline style attribute, no eval (HTMX is told not to inject styles nor eval: base.html), no
# framing, forms post only here. Charts are drawn by Chart.js from static files; their data comes
# in `<script type="application/json">` blocks, which are data, not code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if config.env_flag("DEAN06_HTTPS"):
    # Behind a TLS proxy that sets X-Forwarded-Proto (docs/deploy.md): cookies only over HTTPS,
    # plain HTTP redirected, browsers told to use HTTPS only (HSTS) for DEAN06_HSTS_SECONDS
    # (a year by default; 0 turns it off). /healthz answers over HTTP for the proxy's checks.
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = config.env_int("DEAN06_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = config.env_flag("DEAN06_HSTS_SUBDOMAINS")
    # Whether every subdomain of the province's domain is HTTPS-only, and whether the domain goes
    # on the browsers' preload list, is the province's decision, not the application's: these two
    # checks are silenced, with the reason in docs/deploy.md.
    SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]

EMAIL_HOST = os.environ.get("DEAN06_SMTP_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DEAN06_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DEAN06_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DEAN06_SMTP_PASSWORD", "")
EMAIL_USE_TLS = config.env_flag("DEAN06_SMTP_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEAN06_MAIL_FROM", "dean06@localhost")

# Reminders (dean06.notifications): how many days before the due day units are reminded, and
# the window within which the same reminder (unit, kind, period) is never sent twice.
REMIND_DAYS_BEFORE = config.env_int("DEAN06_REMIND_DAYS_BEFORE", 3, minimum=0)
REMIND_REPEAT_DAYS = config.env_int("DEAN06_REMIND_REPEAT_DAYS", 3, minimum=1)

# Background jobs: Huey with its queue in SQLite in the data directory. DEAN06_WORKER says who
# runs them: "inline" (default for commands and tests: run at once, in the caller), "embedded"
# (default for `dean06 serve`: worker threads inside the server process) or "external" (a separate
# `dean06 manage run_huey` process).
WORKER_MODE = config.worker_mode()
# DEAN06_REDIS_URL (redis://host:6379/0), for several application processes on one or more
# machines: the queue lives in Redis (every process's jobs reach the workers) and so does the
# cache; sessions stay in the database (shared already) and are read through that shared cache
# (cached_db: one query fewer a request; a signed-out session is gone from both at once). A cache
# of each process's own (no Redis) would keep a signed-out session alive in the other processes,
# so without Redis sessions are read from the database (docs/deploy.md, "Several processes").
REDIS_URL = os.environ.get("DEAN06_REDIS_URL", "").strip()
if REDIS_URL:
    from huey import RedisHuey

    HUEY = RedisHuey(name="dean06", url=REDIS_URL, immediate=WORKER_MODE == "inline")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "dean06",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    config.private_file(DATA_DIR / "huey.sqlite3")
    HUEY = SqliteHuey(
        name="dean06",
        filename=str(DATA_DIR / "huey.sqlite3"),
        immediate=WORKER_MODE == "inline",
    )

# A plan being read whose worker has given no sign of life (progress) for this long is taken
# for dead (the server was stopped mid-read): the upload is marked failed and may be read again.
PLAN_UPLOAD_STALE_MINUTES = config.env_int("DEAN06_UPLOAD_STALE_MINUTES", 15, minimum=1)

# /healthz answers 503 when the data folder's disk has less free space than this (MB).
MIN_FREE_DISK_MB = config.env_int("DEAN06_MIN_FREE_DISK_MB", 500, minimum=0)

# Logs go to the standard error stream (the service manager keeps and rotates them: journald, or
# logrotate on a redirected file — docs/deploy.md); DEAN06_LOG_FORMAT=json writes one JSON object
# a line (time, level, logger, message, and the request's path and status for request errors).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": config.log_format(),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DEAN06_LOG_LEVEL", "WARNING")},
}
