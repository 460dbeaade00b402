from celery import shared_task

from backend.thumbnail.services import ThumbnailNotAvailable, get_or_create_thumbnail


@shared_task
def make_thumbnails(instance_global_id: str, sizes: list[int], format: str) -> int:
    """Make `instance_global_id`'s thumbnails ahead of the first request for them; an instance
    deleted or left without an image meanwhile is skipped. Returns how many exist."""
    made = 0
    for size in sizes:
        try:
            get_or_create_thumbnail(instance_global_id, size, format)
        except ThumbnailNotAvailable:
            break
        made += 1
    return made
