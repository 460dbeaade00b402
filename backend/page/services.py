"""Which content pages the public may read."""

from django.db.models import Q
from django.utils import timezone

from backend.page.models import Page


def published_pages():
    """Published pages whose publication date (when one is set) has come."""
    return Page.objects.filter(
        Q(is_published=True) & (Q(published_at__isnull=True) | Q(published_at__lte=timezone.now()))
    )
