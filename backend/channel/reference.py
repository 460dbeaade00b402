"""Channels by slug and by id, from the process's copy of the channel table
(backend/core/reference.py)."""

from dataclasses import dataclass

from backend.channel.models import Channel
from backend.core.reference import ReferenceData


@dataclass(frozen=True)
class Channels:
    by_slug: dict[str, Channel]  # in slug order
    by_id: dict[int, Channel]


def _load() -> Channels:
    channels = list(Channel.objects.all())
    return Channels({c.slug: c for c in channels}, {c.pk: c for c in channels})


_channels = ReferenceData(_load, Channel)


def channels() -> Channels:
    return _channels.get()
