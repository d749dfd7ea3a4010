"""Settings for cohortkit.

Everything comes from the environment with safe development defaults; see README's
"Configuration" table. Production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS and
DATABASE_URL at least.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("COHORTKIT_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Known to everyone: fine for development, refused below when DEBUG is off.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-key-change-me-in-production-0123456789"  # noqa: S105 — public on purpose, see above


def production_secret_key(key: str) -> str:
    """`key`, refused when it could sign a forged login link: the development default, or
    one shorter than 50 characters or with fewer than 5 distinct characters (the limits of
    Django's security.W009 check, which only warns)."""
    if key == DEVELOPMENT_SECRET_KEY or len(key) < 50 or len(set(key)) < 5:
        raise ImproperlyConfigured(
            "With DEBUG=false, set SECRET_KEY to a secret random value of at least 50 "
            "characters (for example the output of: python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'); the development default, a short key or a "
            "repetitive one would let anyone sign login and verification links."
        )
    return key


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
if not DEBUG:
    SECRET_KEY = production_secret_key(SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Wiki accounts (cohortkit.wiki). Sign-in with a wiki account is off until a client id is
# set: the OAuth 2.0 consumer registered on the wiki (its redirect address is
# SITE_URL + /wiki/oauth/callback/). WIKI_OAUTH_URL is the wiki's rest.php, whose
# /oauth2/authorize, /oauth2/access_token and /oauth2/resource/profile are used.
WIKI_OAUTH_URL = os.environ.get("WIKI_OAUTH_URL", "https://meta.wikimedia.org/w/rest.php").rstrip(
    "/"
)
WIKI_OAUTH_CLIENT_ID = os.environ.get("WIKI_OAUTH_CLIENT_ID", "")
WIKI_OAUTH_CLIENT_SECRET = os.environ.get("WIKI_OAUTH_CLIENT_SECRET", "")
WIKI_OAUTH_NAME = os.environ.get("WIKI_OAUTH_NAME", "Wikimedia")
# Reading figures from the wikis' Action API (always in a background task).
WIKI_API_TIMEOUT = float(os.environ.get("WIKI_API_TIMEOUT", "10"))
WIKI_RECENT_DAYS = int(os.environ.get("WIKI_RECENT_DAYS", "90"))
WIKI_USER_AGENT = os.environ.get("WIKI_USER_AGENT", f"cohortkit/0.1 ({SITE_URL})")

INSTALLED_APPS = [
    "cohortkit.accounts",
    "cohortkit.courses",
    "cohortkit.wiki",
    "cohortkit.applications",
    "cohortkit.scheduling",
    "cohortkit.learning",
    "cohortkit.reviews",
    "cohortkit.exercises",
    "cohortkit.translations",
    "cohortkit.notifications",
    "cohortkit.reports",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A kept public page for an anonymous visitor is served here (accounts/page_cache.py).
    "cohortkit.accounts.page_cache.PublicPagesMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "cohortkit.wiki.middleware.WikiSignInFormActionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cohortkit.accounts.middleware.UserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cohortkit.accounts.middleware.UserTimezoneMiddleware",
    "cohortkit.accounts.middleware.PrivatePagesMiddleware",
    "cohortkit.accounts.middleware.SignInFirstMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "cohortkit.urls"
WSGI_APPLICATION = "cohortkit.wsgi.application"
ASGI_APPLICATION = "cohortkit.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cohortkit" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cohortkit.wiki.context_processors.wiki_sign_in",
            ],
        },
    },
]
# Forms render through the templates above, so cohortkit/templates/django/forms/ replaces
# Django's field templates, which print help texts with |safe (course texts are never HTML).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

VAR_DIR.mkdir(parents=True, exist_ok=True)
# Connections persist (60 s by default, checked before reuse): opening one costs more than
# a whole cached page (SQLite about 1.5 ms with its pragmas and functions; PostgreSQL more).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cohortkit.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so conditional seat updates
    # serialise instead of failing with "database is locked" half-way through.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# Django's model backend and database sessions, each read once per version of the data
# (accounts/backends.py, accounts/sessions.py).
AUTHENTICATION_BACKENDS = ["cohortkit.accounts.backends.AccountBackend"]
# Pages kept ready (accounts/page_cache.py); off only to measure what rendering costs
# (bench/bench_pages.py --render).
KEEP_PAGES = env_bool("KEEP_PAGES", True)
SESSION_ENGINE = "cohortkit.accounts.sessions"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "courses:home"  # the dashboard
LOGOUT_REDIRECT_URL = "courses:home"  # the catalogue, for visitors

# Argon2id at OWASP's strength first (accounts/hashers.py); earlier hashes still verify and
# are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "cohortkit.accounts.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("ar", "العربية"),
]
LANGUAGES_BIDI = ["ar", "he", "fa", "ur"]
LOCALE_PATHS = [BASE_DIR / "cohortkit" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "cohortkit" / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760

# A strict Content Security Policy: nothing inline, nothing from elsewhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Mail goes through the outbox (notifications app) and then through this mailer.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "MAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
        "OPTIONS": {
            "host": os.environ.get("SMTP_HOST", "127.0.0.1"),
            "port": int(os.environ.get("SMTP_PORT", "25")),
            "username": os.environ.get("SMTP_USER", ""),
            "password": os.environ.get("SMTP_PASSWORD", ""),
            "use_tls": env_bool("SMTP_TLS", False),
            "timeout": 20,
        }
        if os.environ.get("MAIL_BACKEND", "smtp" if not DEBUG else "").endswith("smtp.EmailBackend")
        or not DEBUG
        else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cohortkit <courses@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
TASKS = {"default": {"BACKEND": TASKS_BACKEND, "QUEUES": ["default"]}}
if TASKS_BACKEND == "django_tasks_rq.RQBackend":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")}}
    # Jobs run in the worker's own process, not a fork per job (cohortkit/rq_worker.py).
    RQ = {"WORKER_CLASS": "cohortkit.rq_worker.Worker"}

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "cohortkit.redis_cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }

SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# Behind a TLS-terminating proxy: trust its X-Forwarded-Proto, and take the client's address
# for throttling from the last X-Forwarded-For entry (accounts/throttle.py).
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# In development (and tests) static files are served from the app folders directly.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
