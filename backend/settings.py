"""Django settings for OCOP Market.

Twelve-factor: everything comes from the environment. With nothing set, the shop runs on the
embedded default — SQLite, local media, in-process tasks, local-memory cache — so a newcomer needs
no service. Production sets DATABASE_URL, REDIS_URL / CELERY_BROKER_URL, AWS_* and SECRET_KEY.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="insecure-dev-only-secret-key-change-me")
if not DEBUG and SECRET_KEY.startswith("insecure-"):
    raise environ.ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- HTTPS and browser protections -----------------------------------------------------------
# With DEBUG off the shop is served over HTTPS only (`manage.py check --deploy` passes); the
# embedded default (`make run`, DEBUG on, plain http on 127.0.0.1) forces none of it.
HTTPS_ONLY = env.bool("HTTPS_ONLY", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS_ONLY
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
LANGUAGE_COOKIE_SECURE = HTTPS_ONLY
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if HTTPS_ONLY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "graphene_django",
    "corsheaders",
    "csp",
    "django_countries",
    "backend.core",
    "backend.account",
    "backend.channel",
    "backend.ocop",
    "backend.attribute",
    "backend.product",
    "backend.warehouse",
    "backend.shipping",
    "backend.discount",
    "backend.checkout",
    "backend.order",
    "backend.payment",
    "backend.webhook",
    "backend.page",
    "backend.menu",
    "backend.livestream",
    "backend.thumbnail",
    "backend.demo",
    "integrations.marketplaces",
    "storefront",
]

MIDDLEWARE = [
    "backend.core.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "backend.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Inside all of the above: a cached page still gets its cookies, headers and CSP nonce.
    "storefront.page_cache.PageCacheMiddleware",
]

ROOT_URLCONF = "backend.urls"
WSGI_APPLICATION = "backend.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Project-wide overrides of library templates (the admin's base_site.html).
        "DIRS": [BASE_DIR / "backend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Embedded default: one SQLite file in WAL mode whose write transactions start IMMEDIATE, so
# concurrent writers queue instead of failing half-way. Production: DATABASE_URL (PostgreSQL).
SQLITE_PATH = BASE_DIR / env.str("SQLITE_NAME", default="db.sqlite3")
DATABASES = {
    "default": env.db_url_config(env.str("DATABASE_URL", default="") or f"sqlite:///{SQLITE_PATH}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Covering indexes and NULLS NOT DISTINCT serve PostgreSQL; SQLite does without them.
    SILENCED_SYSTEM_CHECKS = ["models.W040", "models.W047"]
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery ---------------------------------------------------------------------------------
# Without a broker the tasks run in process (eagerly), as the embedded default promises.
# How long buyers' lists (facet counts, counts, pages) may be served from the cache at most;
# any change to the catalogue ends them sooner (backend/product/catalogue/cache.py). 0: off.
CATALOGUE_CACHE_SECONDS = env.int("CATALOGUE_CACHE_SECONDS", default=60)

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"

# --- Accounts and auth ----------------------------------------------------------------------
AUTH_USER_MODEL = "account.User"
AUTHENTICATION_BACKENDS = ["backend.account.backends.EmailBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
JWT_ACCESS_TTL_SECONDS = env.int("JWT_ACCESS_TTL_SECONDS", default=5 * 60)
JWT_REFRESH_TTL_SECONDS = env.int("JWT_REFRESH_TTL_SECONDS", default=30 * 24 * 3600)
# The tokens' `iss`; empty means the API's URL under PUBLIC_URL (backend.account.jwt.jwt_issuer).
JWT_ISSUER = env.str("JWT_ISSUER", default="")
# Issuers of tokens still in circulation that keep verifying (refresh tokens live 30 days).
JWT_PREVIOUS_ISSUERS = env.list("JWT_PREVIOUS_ISSUERS", default=["ocop-market"])
# Storefront hosts that links in emails (confirmation, password reset) may point to; the host of
# PUBLIC_URL is always allowed.
ALLOWED_CLIENT_HOSTS = env.list("ALLOWED_CLIENT_HOSTS", default=[])
# Reverse proxies in front of the shop that append the client's address to X-Forwarded-For
# (0: clients connect directly and the header is ignored). Sign-in limits key on that address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Behind such a proxy (which terminates TLS), X-Forwarded-Proto says whether the visitor used
# HTTPS; without one the header would be the client's word.
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL = env.bool(
    "ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL", default=True
)

# --- I18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DEFAULT_COUNTRY = "VN"
DEFAULT_CURRENCY = "VND"
# The channel used when a client names none (Saleor requires one when several exist).
DEFAULT_CHANNEL_SLUG = env.str("DEFAULT_CHANNEL_SLUG", default="vn")
# The most of one variant a buyer can put in one checkout line (Saleor's default).
MAX_CHECKOUT_LINE_QUANTITY = env.int("MAX_CHECKOUT_LINE_QUANTITY", default=50)
# Minutes a checkout holds its stock while the buyer fills in the form.
RESERVE_STOCK_MINUTES = env.int("RESERVE_STOCK_MINUTES", default=20)

# Payments. COD and VietQR need no keys; VNPay and Stripe are offered once their keys are set.
PAYMENT_GATEWAYS_BY_CHANNEL = {
    "vn": ["ocop.payments.cod", "ocop.payments.vietqr", "ocop.payments.vnpay"],
    "intl": ["saleor.app.payment.stripe"],
}
VIETQR_BANK_BIN = env.str("VIETQR_BANK_BIN", default="970436")
VIETQR_ACCOUNT_NUMBER = env.str("VIETQR_ACCOUNT_NUMBER", default="0011004455667")
VIETQR_ACCOUNT_NAME = env.str("VIETQR_ACCOUNT_NAME", default="VAN PHONG DIEU PHOI NTM")
BANK_TRANSFER_WEBHOOK_SECRET = env.str("BANK_TRANSFER_WEBHOOK_SECRET", default="")
# How long a started payment may run, in minutes per gateway: VNPay's payment link expires then
# (vnp_ExpireDate); a VietQR transfer and a Stripe card confirmation are awaited as long. The
# buyer's stock holds are kept that long plus PAYMENT_HOLD_GRACE_MINUTES (the provider's callback
# and the buyer's return), so a buyer who pays in time finds the goods still there. Gateways not
# listed (cash on delivery) place the order at once and keep the normal hold.
PAYMENT_MINUTES = {
    "ocop.payments.vnpay": env.int("VNPAY_PAYMENT_MINUTES", default=15),
    "ocop.payments.vietqr": env.int("VIETQR_PAYMENT_MINUTES", default=30),
    "saleor.app.payment.stripe": env.int("STRIPE_PAYMENT_MINUTES", default=30),
}
PAYMENT_HOLD_GRACE_MINUTES = env.int("PAYMENT_HOLD_GRACE_MINUTES", default=10)
VNPAY_TMN_CODE = env.str("VNPAY_TMN_CODE", default="")
VNPAY_HASH_SECRET = env.str("VNPAY_HASH_SECRET", default="")
VNPAY_PAYMENT_URL = env.str(
    "VNPAY_PAYMENT_URL", default="https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
)
# VNPay's merchant API (refund, querydr).
VNPAY_API_URL = env.str(
    "VNPAY_API_URL", default="https://sandbox.vnpayment.vn/merchant_webapi/api/transaction"
)
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
# Only tests point the Stripe client elsewhere (a local server speaking Stripe's API).
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")

# Outgoing webhooks (Saleor-app style), delivered by Celery.
WEBHOOK_TIMEOUT_SECONDS = env.int("WEBHOOK_TIMEOUT_SECONDS", default=10)
WEBHOOK_MAX_RETRIES = env.int("WEBHOOK_MAX_RETRIES", default=5)
# A pending delivery this long past its due time was lost by its worker; the sweep requeues it.
WEBHOOK_SWEEP_GRACE_SECONDS = env.int("WEBHOOK_SWEEP_GRACE_SECONDS", default=60)

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Serve app static files straight from their folders too, so tests and `runserver` need no
# collectstatic first.
WHITENOISE_USE_FINDERS = True
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="us-east-1")
    AWS_S3_CUSTOM_DOMAIN = env.str("AWS_S3_CUSTOM_DOMAIN", default=None)
    AWS_S3_URL_PROTOCOL = env.str("AWS_S3_URL_PROTOCOL", default="https:")
    AWS_QUERYSTRING_AUTH = env.bool("AWS_QUERYSTRING_AUTH", default=False)
    AWS_S3_FILE_OVERWRITE = False
    DEFAULT_FILE_STORAGE_BACKEND = "storages.backends.s3.S3Storage"
    # Where browsers load media from, for the content security policy (a source with a path
    # needs its trailing slash to match the files under it).
    MEDIA_HOST = (
        AWS_S3_CUSTOM_DOMAIN or AWS_S3_ENDPOINT_URL or f"{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"
    )
    MEDIA_SOURCES = [MEDIA_HOST.rstrip("/") + "/"]
else:
    DEFAULT_FILE_STORAGE_BACKEND = "django.core.files.storage.FileSystemStorage"
    MEDIA_SOURCES = []
STORAGES = {
    "default": {"BACKEND": DEFAULT_FILE_STORAGE_BACKEND},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Content security policy (django-csp): only the shop's own scripts and styles, inline ones with
# the response's nonce; images may also come from the media host. GraphiQL widens it for itself
# (backend.urls).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", *MEDIA_SOURCES],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    }
}
MAX_UPLOAD_IMAGE_BYTES = env.int("MAX_UPLOAD_IMAGE_BYTES", default=10 * 1024 * 1024)
# Uploaded product photos are stored at most this many px on the long side (backend.product.photos).
PRODUCT_PHOTO_MAX_SIDE = env.int("PRODUCT_PHOTO_MAX_SIDE", default=2048)
PRODUCT_PHOTO_JPEG_QUALITY = env.int("PRODUCT_PHOTO_JPEG_QUALITY", default=85)

# --- Email ----------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="OCOP Market <no-reply@ocop.example>")

# --- GraphQL --------------------------------------------------------------------------------
# No graphene debug middleware: it wraps every resolver, even with DEBUG on.
GRAPHENE = {"SCHEMA": "backend.graphql.api.schema", "MIDDLEWARE": []}
GRAPHQL_MAX_DEPTH = env.int("GRAPHQL_MAX_DEPTH", default=12)
GRAPHQL_MAX_COMPLEXITY = env.int("GRAPHQL_MAX_COMPLEXITY", default=50_000)
GRAPHQL_PAGINATION_LIMIT = 100
# Browser storefronts on other origins may call /graphql/ (only it): Saleor's variable, a
# comma-separated list of origins, "*" (the default) for any.
ALLOWED_GRAPHQL_ORIGINS = env.list("ALLOWED_GRAPHQL_ORIGINS", default=["*"])
CORS_URLS_REGEX = r"^/graphql/$"
CORS_ALLOW_ALL_ORIGINS = "*" in ALLOWED_GRAPHQL_ORIGINS
CORS_ALLOWED_ORIGINS = [] if CORS_ALLOW_ALL_ORIGINS else ALLOWED_GRAPHQL_ORIGINS
SHOP_NAME = env.str("SHOP_NAME", default="OCOP Market")
SHOP_DESCRIPTION = env.str(
    "SHOP_DESCRIPTION", default="Sản phẩm OCOP được chứng nhận từ khắp 34 tỉnh, thành phố"
)
SHOP_HEADER_TEXT = env.str("SHOP_HEADER_TEXT", default="") or None
PUBLIC_URL = env.str("PUBLIC_URL", default="http://127.0.0.1:8000")
# The buyers' help line and address in the shop's footer and contact page (demo values by default).
SHOP_HOTLINE = env.str("SHOP_HOTLINE", default="1800 0000")
SHOP_SUPPORT_EMAIL = env.str("SHOP_SUPPORT_EMAIL", default="hotro@ocop.example")

# --- Marketplace sync (integrations.marketplaces) ---------------------------------------------
# Fernet keys for stored marketplace credentials, newest first (empty: derived from SECRET_KEY).
MARKETPLACE_CREDENTIALS_KEYS = env.list("MARKETPLACE_CREDENTIALS_KEYS", default=[])
# A SKU whose push keeps failing is parked (shown to the office and producer) after this many.
MARKETPLACE_MAX_ATTEMPTS = env.int("MARKETPLACE_MAX_ATTEMPTS", default=8)
MARKETPLACE_BACKOFF_SECONDS = env.float("MARKETPLACE_BACKOFF_SECONDS", default=5.0)
MARKETPLACE_BACKOFF_MAX_SECONDS = env.float("MARKETPLACE_BACKOFF_MAX_SECONDS", default=900.0)
# What a marketplace shows of a variant that does not track its stock.
MARKETPLACE_UNTRACKED_QUANTITY = env.int("MARKETPLACE_UNTRACKED_QUANTITY", default=999)
# How long a worker may talk to one shop before another may take over (it renews as it goes).
MARKETPLACE_LEASE_SECONDS = env.int("MARKETPLACE_LEASE_SECONDS", default=60)
# How long a marketplace order's units are held when the marketplace never says it shipped.
MARKETPLACE_ORDER_HOLD_DAYS = env.int("MARKETPLACE_ORDER_HOLD_DAYS", default=30)

# --- Livestream ---------------------------------------------------------------------------------
# Where viewers' pages open the live feed (server-sent events): the ASGI service's origin when it
# runs beside the WSGI workers (docker-compose: http://localhost:8001); empty: this server.
LIVE_FEED_ORIGIN = env.str("LIVE_FEED_ORIGIN", default="").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# --- Celery beat ----------------------------------------------------------------------------
# Daily OCOP certification housekeeping, just after midnight Vietnam time (CELERY_TIMEZONE).
CELERY_BEAT_SCHEDULE = {
    "ocop-expire-certifications": {
        "task": "backend.ocop.tasks.expire_certifications",
        "schedule": crontab(hour=0, minute=5),
    },
    "ocop-send-expiry-reminders": {
        "task": "backend.ocop.tasks.send_expiry_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    "product-refresh-listing-index": {
        "task": "backend.product.tasks.refresh_listing_index_daily",
        "schedule": crontab(hour=0, minute=10),
    },
    # Words of products written in bulk (imports, generated catalogues); saves add theirs.
    "product-refresh-search-vocabulary": {
        "task": "backend.product.tasks.refresh_search_vocabulary_task",
        "schedule": crontab(minute="*/15"),
    },
    # Every minute: the listing index and marketplaces learn of an expired hold when it goes.
    "warehouse-delete-expired-reservations": {
        "task": "backend.warehouse.tasks.delete_expired_reservations_task",
        "schedule": crontab(),
    },
    # Every minute: livestream reminders (24 h and 15 min before, at the start), each sent once.
    "livestream-send-reminders": {
        "task": "backend.livestream.tasks.send_reminders",
        "schedule": crontab(),
    },
    "webhook-sweep": {
        "task": "backend.webhook.tasks.sweep_webhooks",
        "schedule": crontab(),
    },
    # The marketplace sync's safety net: stock changes and pushes no message reached, orders
    # no webhook brought, prices changed by bulk writes.
    "marketplaces-sweep": {
        "task": "integrations.marketplaces.tasks.sweep",
        "schedule": crontab(),
    },
    "marketplaces-poll-orders": {
        "task": "integrations.marketplaces.tasks.poll_orders",
        "schedule": crontab(minute="*/5"),
    },
    "marketplaces-reconcile": {
        "task": "integrations.marketplaces.tasks.reconcile_all",
        "schedule": crontab(hour="*/6", minute=20),
    },
    "checkout-delete-expired-checkouts": {
        "task": "backend.checkout.tasks.delete_expired_checkouts",
        "schedule": crontab(minute=30),
    },
    # PostMart/Voso bulk-upload files, stored again only when their content changed.
    "marketplaces-refresh-catalog-exports": {
        "task": "integrations.marketplaces.export_tasks.refresh_catalog_exports",
        "schedule": crontab(minute="*/15"),
    },
}
