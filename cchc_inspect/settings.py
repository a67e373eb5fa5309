"""Settings for CCHC Inspect, read from environment variables (see .env.example)."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
import xstatic.pkg.bootstrap as xstatic_bootstrap
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str
from .logs import logging_config
from .mail import email_settings

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

if DEBUG:
    # A fixed, public key is acceptable only for local development.
    SECRET_KEY = SECRET_KEY or "insecure-development-key-do-not-use-in-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
else:
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "communes",
    "inspections",
    "reports",
    # Operations commands: backup, restore.
    "cchc_inspect",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cchc_inspect.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cchc_inspect.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    # After the second factor: a temporary password is changed only by someone who passed both steps.
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "cchc_inspect.middleware.DebugNotFoundMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cchc_inspect.urls"
WSGI_APPLICATION = "cchc_inspect.wsgi.application"

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
                "django.template.context_processors.i18n",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# Unset DATABASE_URL means a local SQLite file, so `make run` needs no server.
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'cchc.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The web server and the worker share the file: wait for locks rather than fail.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the application's queries take milliseconds, and a plan the planner costs
    # high (a recursive lineage it expects a hundred times longer than it is) was compiled for 30 ms
    # to run for 2.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = " ".join(filter(None, [options.get("options", ""), "-c jit=off"]))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    # Refuses a sign-in while the username or the address is locked out, before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email")},
    },
    {"NAME": "accounts.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["cchc_inspect.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "cchc_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
# Bootstrap comes from its package, never from a CDN: the application works offline.
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", xstatic_bootstrap.BASE_DIR)]
# Official documents are set in one Times-metric serif with every Vietnamese glyph. Liberation
# Serif ships with the project (reports/fonts/, SIL Open Font License); an authority that holds
# Times New Roman points PDF_FONT_DIR, PDF_FONT_FAMILY and PDF_FONT_FILES (regular, bold, italic,
# bold italic) at it. The PDF renderer reads only static files, so the font folder is one.
PDF_FONT_DIR = Path(env_str("PDF_FONT_DIR", str(BASE_DIR / "reports" / "fonts")))
PDF_FONT_FAMILY = env_str("PDF_FONT_FAMILY", "Liberation Serif")
PDF_FONT_FILES = env_list(
    "PDF_FONT_FILES",
    "LiberationSerif-Regular.ttf,LiberationSerif-Bold.ttf,LiberationSerif-Italic.ttf,LiberationSerif-BoldItalic.ttf",
)
if len(PDF_FONT_FILES) != 4:
    raise ImproperlyConfigured("PDF_FONT_FILES names four files: regular, bold, italic, bold italic.")
if PDF_FONT_DIR.is_dir():
    STATICFILES_DIRS.append(("pdf-fonts", PDF_FONT_DIR))
# Uploaded files are kept outside the static tree and only ever leave through
# permission-checked views: no URL pattern or web server location serves MEDIA_URL.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/private-media/"
# Hashed, compressed static names need `collectstatic`; development and tests serve from the finders.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if STATIC_MANIFEST:
    # Production serves the collected files itself; development uses runserver's static view.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

UPLOAD_MAX_FILE_MB = env_int("UPLOAD_MAX_FILE_MB", 20)
COMMUNE_STORAGE_QUOTA_MB = env_int("COMMUNE_STORAGE_QUOTA_MB", 500)
# Bounds that keep a crafted file from exhausting memory when it is inspected.
UPLOAD_MAX_IMAGE_PIXELS = env_int("UPLOAD_MAX_IMAGE_PIXELS", 50_000_000)
UPLOAD_MAX_OFFICE_ENTRIES = env_int("UPLOAD_MAX_OFFICE_ENTRIES", 2000)
UPLOAD_MAX_OFFICE_UNPACKED_MB = env_int("UPLOAD_MAX_OFFICE_UNPACKED_MB", 250)
# Beyond 16 MB unpacked, an Office file may unpack to at most this many times its packed size.
UPLOAD_MAX_OFFICE_RATIO = env_int("UPLOAD_MAX_OFFICE_RATIO", 100)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: Redis when configured; otherwise the local filesystem transport under
# var/, so a real worker process runs on a machine without Redis.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
_CELERY_QUEUE_DIR = VAR_DIR / "celery"
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(_CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(_CELERY_QUEUE_DIR / "processed"),
        "store_processed": False,
        # Broadcast and control messages (worker pings, remote control) go here too.
        "control_folder": str(_CELERY_QUEUE_DIR / "control"),
    }
else:
    # Redis hands an unacknowledged message to a worker again after this many seconds: above the
    # hard time limit, so that a long render is never run twice; a test may set a short one.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
        # A worker looks for such messages every interval × throttle seconds (kombu's 10 × 10).
        "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 10),
        "unacked_restore_throttle": env_int("CELERY_UNACKED_RESTORE_THROTTLE", 10),
    }
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD_KB", 1_500_000)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE

# Sessions: signed out after SESSION_IDLE_MINUTES without a request, and SESSION_ABSOLUTE_HOURS after
# signing in whatever the activity (accounts.middleware.SessionLimitsMiddleware). The cookie and the
# stored session never outlive the absolute limit. A password change ends every other session of the
# user (Django checks the password hash kept in each session).
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "cchc_inspect.views.csrf_failure"
# Scripts only from our own files; see cchc_inspect.middleware.SecurityHeadersMiddleware.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    # Bootstrap draws its icons (menu toggler, select arrow) as data: SVG images.
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # A year of HTTPS-only by default. Subdomains and the browsers' preload list are the
    # authority's decision (its other sites may still be plain HTTP): off unless configured.
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SILENCED_SYSTEM_CHECKS = [
        *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
        *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
    ]

# Brute force: after LOGIN_FAILURE_LIMIT wrong passwords for one username, or from one address, that
# username or address is refused for LOGIN_LOCKOUT_MINUTES (django-axes). The secretariat unlocks the
# accounts of its units, the administrator any account or address. Every failure and lockout is written
# to the "cchc.security" log and kept in the database (administration › Axes).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "accounts.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_address"
AXES_VERBOSE = False
# Two-factor sign-in with an authenticator app is open to everyone; with TWO_FACTOR_REQUIRED the
# administrator, the secretariat and team leads (who issue and sign documents) must use it.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", False)
OTP_TOTP_ISSUER = "CCHC Inspect"
# Proxies in front of the application that append to X-Forwarded-For (0: use the connection's address).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Shown on the login page only with DEBUG on and the demo data set loaded.
DEMO_PASSWORD = "demo"

# Mail: one-time links for new accounts and forgotten passwords. Without EMAIL_HOST mails are
# written to the log, so development needs no mail server.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
# EMAIL_URL (smtp://user:password@host:587, smtps://…, file:///folder, console://) replaces the
# variables above; with neither, development (`make run`) writes each mail as a file under var/mail/.
EMAIL_URL = env_str("EMAIL_URL")
if EMAIL_URL:
    globals().update(email_settings(EMAIL_URL))
elif not EMAIL_HOST and DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "CCHC Inspect <cchc@localhost>")
# The application's public address: links in e-mails are built on it.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Seconds between two refreshes of the header's unread count.
NOTIFICATION_POLL_SECONDS = env_int("NOTIFICATION_POLL_SECONDS", 60)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3 * 24 * 3600)

# ---------------------------------------------------------------------------------------------
# Operations: shared file storage, health checks, structured logs, metrics.
# Every value below comes from the environment; unset, `make run` keeps the local folder,
# plain logs and no metrics endpoint.

# Evidence and reports: `local` (MEDIA_ROOT) or `s3` (any S3-compatible object storage), so that
# several web servers and workers see the same files.
STORAGE_BACKEND = env_str("STORAGE_BACKEND", "local").strip().lower()
# Seconds a pre-signed download URL of object storage stays valid.
STORAGE_URL_EXPIRE_SECONDS = env_int("STORAGE_URL_EXPIRE_SECONDS", 60)
# Local folder behind nginx: the internal location that serves MEDIA_ROOT (e.g. /protected-media/);
# empty means the web worker streams the file itself.
MEDIA_ACCEL_REDIRECT_PREFIX = env_str("MEDIA_ACCEL_REDIRECT_PREFIX")
if STORAGE_BACKEND == "s3":
    from boto3.s3.transfer import TransferConfig

    S3_BUCKET = env_str("S3_BUCKET")
    if not S3_BUCKET:
        raise ImproperlyConfigured("S3_BUCKET must be set when STORAGE_BACKEND is s3.")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "region_name": env_str("S3_REGION") or None,
            "addressing_style": env_str("S3_ADDRESSING_STYLE", "path"),
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": STORAGE_URL_EXPIRE_SECONDS,
            # Generated names never collide; an existing name is never silently replaced.
            "file_overwrite": False,
            # The store checks each object against its SHA-256 as it is written, and keeps it for downloads.
            "object_parameters": {"ChecksumAlgorithm": "SHA256"},
            # One PUT up to this size, so the kept checksum is the file's own, not one of parts.
            "transfer_config": TransferConfig(multipart_threshold=256 * 1024 * 1024),
        },
    }
elif STORAGE_BACKEND != "local":
    raise ImproperlyConfigured(f"STORAGE_BACKEND={STORAGE_BACKEND!r}: use local or s3.")

# A cache shared by every machine (Redis) holds what the health checks remember: the last worker
# answer and the beat's heartbeat. Unset: each process keeps its own, enough on one machine.
CACHE_URL = env_str("CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# With a shared cache, a request reads its session from it rather than from PostgreSQL; every write
# (sign-in, sign-out, the idle clock) still goes to the database too, which stays the reference. A
# per-process cache would let one machine keep a session another has ended, so only a shared one.
if CACHE_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# /readyz: a worker must have answered a ping within this many seconds; a failed ping is retried
# at most every READYZ_PING_INTERVAL seconds and waits READYZ_PING_TIMEOUT for an answer.
READYZ_WORKER_MAX_AGE = env_int("READYZ_WORKER_MAX_AGE", 60)
READYZ_PING_INTERVAL = env_int("READYZ_PING_INTERVAL", 10)
READYZ_PING_TIMEOUT = float(env_str("READYZ_PING_TIMEOUT", "1") or 1)
# With a beat process, it sends a heartbeat task every 30 s and /readyz wants one within this many seconds.
CELERY_BEAT_ENABLED = env_bool("CELERY_BEAT_ENABLED", False)
READYZ_BEAT_MAX_AGE = env_int("READYZ_BEAT_MAX_AGE", 90)
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "cchc_inspect.beat_heartbeat", "schedule": 30.0, "options": {"expires": 60}},
    # Deadline reminders every hour of the working day: each is written once per user, object and
    # deadline (a key in the database), so a restarted or doubled beat sends nothing twice.
    "reminders": {
        "task": "notifications.send_reminders",
        "schedule": crontab(minute=5, hour="7-18"),
        "options": {"expires": 3000},
    },
    # The daily digest of the notifications people chose to receive that way, once per user and day.
    "digests": {
        "task": "notifications.send_digests",
        "schedule": crontab(minute=0, hour=17),
        "options": {"expires": 3000},
    },
}
# Load balancers probe over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

# Logs: one JSON object a line (request id, user id, duration, status) in production, plain text in
# development. Workers keep these handlers rather than Celery's own format.
LOG_FORMAT = env_str("LOG_FORMAT").strip().lower() or ("plain" if DEBUG else "json")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use json or plain.")
LOGGING = logging_config(json_lines=LOG_FORMAT == "json", level=env_str("LOG_LEVEL", "INFO"))
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Outermost, so that the time and status it logs are those the client saw.
MIDDLEWARE.insert(0, "cchc_inspect.logs.RequestLogMiddleware")

# Prometheus: /metrics answers a scraper presenting this bearer token (unset: no endpoint); a worker
# serves its own on CELERY_METRICS_PORT (unset: none). Several processes on one machine need
# PROMETHEUS_MULTIPROC_DIR (an empty folder, cleared at boot) in their environment.
METRICS_TOKEN = env_str("METRICS_TOKEN")
CELERY_METRICS_PORT = env_int("CELERY_METRICS_PORT", 0)
CELERY_METRICS_ADDRESS = env_str("CELERY_METRICS_ADDRESS", "127.0.0.1")
