"""Private storage for certification evidence (scans of decisions and certificates).

Files live outside the public media root (locally a sibling `private-media` folder, on S3 a
`private/` prefix with signed URLs) and are only ever served through a permission-checked view.
"""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property
from django.utils.module_loading import import_string


class PrivateFileSystemStorage(FileSystemStorage):
    """Follows MEDIA_ROOT (tests move it) but never inside it, and has no public URL."""

    @cached_property
    def base_location(self):
        default = Path(settings.MEDIA_ROOT).parent / "private-media"
        return self._value_or_setting(
            self._location, getattr(settings, "PRIVATE_MEDIA_ROOT", default)
        )

    def url(self, name):
        # Django's way to say a storage has no URLs; the admin renders no link to it.
        raise NotImplementedError("Private files are served by the evidence view only.")


def _build_storage():
    backend = settings.STORAGES["default"]["BACKEND"]
    if backend.endswith("S3Storage"):
        return import_string(backend)(
            location="private",
            default_acl="private",
            querystring_auth=True,
            querystring_expire=300,
            custom_domain=None,
        )
    return PrivateFileSystemStorage()


@cache
def private_storage():
    """The evidence storage (a callable so migrations don't freeze the backend choice)."""
    return _build_storage()
