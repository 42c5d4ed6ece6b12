"""
The backends fitness/settings.py configures: the database, the caches, the background tasks'
queue and the file storages, each built here from values settings.py has read from the
environment (settings.py names every setting and every variable it reads; these functions only
give the values Django's shape). Nothing here reads the environment: settings.py does.
"""

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

# TASKS_BACKEND's names (fitness/settings.py says when to use which).
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "dummy": "django_tasks.backends.dummy.DummyBackend",
}


def databases(url: str, *, conn_max_age: int) -> dict:
    """DATABASES: the one database at `url`, its connections checked before reuse."""
    return {
        "default": dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    }


def caches(redis_url: str, *, key_prefix: str) -> dict:
    """Redis when REDIS_URL is set, else each process's memory; and the page store."""
    redis = {
        "BACKEND": "fitness.core.cache.RedisCache",  # Django's, one client per pool
        "LOCATION": redis_url,
        "KEY_PREFIX": key_prefix,
        # A Redis that stops answering must fail a request fast, not hang a worker.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    return {
        "default": (
            redis if redis_url else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        ),
        # Whole anonymous pages, in each process's memory, for PAGE_CACHE_SECONDS
        # (fitness/core/http_cache.py): a second's worth of pages needs no sharing, no
        # invalidation.
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "fitness-pages",
            "OPTIONS": {"MAX_ENTRIES": 200},
        },
    }


def tasks(backend: str) -> dict:
    """TASKS for one of `TASK_BACKENDS`; any other name stops start-up."""
    if backend not in TASK_BACKENDS:
        raise ImproperlyConfigured(
            f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, not {backend!r}."
        )
    return {"default": {"BACKEND": TASK_BACKENDS[backend]}}


def s3_storage(bucket: str, *, endpoint_url, region, access_key, secret_key, custom_domain, acl,
               addressing_style) -> dict:  # fmt: skip
    """The media storage in an S3 bucket (AWS's, or an S3-compatible server's at
    `endpoint_url`); a blank value leaves boto's default."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            # Public files under plain addresses (the bucket, or the domain in front of it, is
            # readable by everyone): a page's srcset must not expire.
            "custom_domain": custom_domain or None,
            "querystring_auth": False,
            "default_acl": acl or None,
            "addressing_style": addressing_style,
            "file_overwrite": False,
            # Every uploaded name is new (fitness.articles.images.upload_to): cached for ever.
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }


def storages(media: dict | None, *, debug: bool) -> dict:
    """STORAGES: the media in `media` (an `s3_storage`) or on this machine's disk; the static
    files straight from the app folders under DEBUG, else collected, compressed and hashed."""
    return {
        "default": media or {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {
            "BACKEND": (
                "django.contrib.staticfiles.storage.StaticFilesStorage"
                if debug
                else "whitenoise.storage.CompressedManifestStaticFilesStorage"
            )
        },
    }
