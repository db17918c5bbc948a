"""dangvu's one settings module, driven by ``DANGVU_*`` environment variables.

Every variable is listed, with its default, in ``docs/configuration.md``; the security
controls are listed in ``docs/security.md``.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from dangvu.core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("DANGVU_VAR_DIR") or BASE_DIR / "var")

# Production mode: secrets must come from the environment, cookies are secure, demo accounts
# are refused. Everything else (the laptop demo, the tests) runs in local mode.
PRODUCTION = env_bool("DANGVU_PRODUCTION", False)
DEBUG = env_bool("DANGVU_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DANGVU_DEBUG must be false when DANGVU_PRODUCTION is true")


def _local_secret_key() -> str:
    """A key generated once into ``var/secret_key`` so that a laptop install keeps its sessions."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = env_str("DANGVU_SECRET_KEY") or ""
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DANGVU_SECRET_KEY is required when DANGVU_PRODUCTION is true")
    SECRET_KEY = _local_secret_key()
if len(SECRET_KEY) < 32 or SECRET_KEY.startswith("django-insecure-"):
    raise ImproperlyConfigured("DANGVU_SECRET_KEY must be a random value of at least 32 characters")

ALLOWED_HOSTS = env_list("DANGVU_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DANGVU_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "treebeard",
    "dangvu.core",
    "dangvu.access",
    "dangvu.audit",
    "dangvu.orgs",
    "dangvu.members",
    "dangvu.metrics",
    "dangvu.reviews",
    "dangvu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dangvu.audit.middleware.AuditContextMiddleware",
    "dangvu.core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dangvu.urls"
WSGI_APPLICATION = "dangvu.wsgi.application"

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
                "dangvu.core.context_processors.version",
            ],
            "builtins": [
                "dangvu.core.templatetags.vn",
                "dangvu.audit.templatetags.audit_tags",
                "dangvu.access.templatetags.access_tags",
            ],
        },
    },
]


# --- Database --------------------------------------------------------------------------------
def _database() -> dict:
    url = env_str("DANGVU_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'dangvu.sqlite3'}"
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("DANGVU_DB_CONN_MAX_AGE", 0))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DANGVU_DATABASE_URL is not a database URL: {exc}") from exc
    if config["ENGINE"] == "django.db.backends.sqlite3":
        if config["NAME"] not in ("", ":memory:"):
            Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # WAL lets readers run beside a writer; IMMEDIATE takes the write lock at BEGIN so two
        # writers queue instead of failing half-way with "database is locked".
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            " PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    elif config["ENGINE"] not in ("django.db.backends.postgresql",):
        raise ImproperlyConfigured("DANGVU_DATABASE_URL must be sqlite:/// or postgres://")
    config["TEST"] = {"NAME": env_str("DANGVU_TEST_DATABASE_NAME")}
    return dict(config)


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication --------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "dangvu.access.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "dangvu.access.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 15},
    },
    {"NAME": "dangvu.access.password_validation.CommonPasswordValidator"},
    {"NAME": "dangvu.access.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: the 6th failure for one username from one address within 30 minutes is refused.
AXES_FAILURE_LIMIT = env_int("DANGVU_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "access/locked_out.html"
AXES_VERBOSE = False

SESSION_COOKIE_AGE = env_int("DANGVU_SESSION_AGE", 10 * 3600, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Security headers (the rest of production hardening lives in docs/security.md) -----------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
_SSL_REDIRECT = env_bool("DANGVU_SSL_REDIRECT", True)
_HSTS_SUBDOMAINS = env_bool("DANGVU_HSTS_INCLUDE_SUBDOMAINS", True)
_HSTS_PRELOAD = env_bool("DANGVU_HSTS_PRELOAD", False)
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _SSL_REDIRECT
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _HSTS_SUBDOMAINS
    SECURE_HSTS_PRELOAD = _HSTS_PRELOAD
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Party networks use internal domain names that do not belong on browsers' public HSTS preload
# list, so preloading is opt-in and Django's reminder about it is silenced unless opted in.
SILENCED_SYSTEM_CHECKS = [] if _HSTS_PRELOAD else ["security.W021"]

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Language, time --------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "dangvu" / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

# --- API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first so that an anonymous request is told 401 with "WWW-Authenticate: Token".
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "dangvu.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "dangvu API",
    "DESCRIPTION": "API của dangvu: mọi dữ liệu được giới hạn theo phạm vi tổ chức của người dùng.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind"; name each choice set after its own enum.
    "ENUM_NAME_OVERRIDES": {
        "OrgKindEnum": "dangvu.orgs.models.OrgKind",
        "MemberEventKindEnum": "dangvu.members.choices.EventKind",
        "TransferKindEnum": "dangvu.members.choices.TransferKind",
        "TransferStateEnum": "dangvu.members.choices.TransferState",
    },
}

# --- Logging ---------------------------------------------------------------------------------
LOG_LEVEL = (env_str("DANGVU_LOG_LEVEL", "WARNING") or "WARNING").upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured(
        f"DANGVU_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {LOG_LEVEL!r}"
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

# --- dangvu ----------------------------------------------------------------------------------
DANGVU_DEMO_PASSWORD = env_str("DANGVU_DEMO_PASSWORD", "dangvu-demo-2021")
