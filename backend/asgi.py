"""The ASGI entry point (uvicorn): serves the livestream's live feed, a long-lived stream per
viewer, beside the WSGI processes that serve everything else."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
application = get_asgi_application()

from backend.core.server_process import prepare_server_process  # noqa: E402  (needs settings)

prepare_server_process()
