"""The project's settings with the bench's ceiling view added to its URLs (bench/storefront.py
starts its server with these; production never does)."""

from backend.settings import *  # noqa: F403

ROOT_URLCONF = "storefront_ceiling_urls"
