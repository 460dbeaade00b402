from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LivestreamConfig(AppConfig):
    name = "backend.livestream"
    label = "livestream"
    verbose_name = _("Livestream sales")

    def ready(self):
        from backend.livestream.quotas import existing_event_holders
        from backend.warehouse.audit import register_holder_kind
        from backend.warehouse.models import HolderKind

        register_holder_kind(HolderKind.LIVESTREAM_QUOTA, existing_event_holders)
