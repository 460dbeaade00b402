from django.http import Http404, HttpResponseRedirect

from backend.thumbnail.services import ThumbnailNotAvailable, get_or_create_thumbnail


def thumbnail_view(request, instance_id, size, format=None):
    """Redirect to the stored thumbnail of `instance_id`'s image, making it on first request."""
    try:
        thumbnail = get_or_create_thumbnail(instance_id, size, format)
    except ThumbnailNotAvailable:
        raise Http404 from None
    return HttpResponseRedirect(thumbnail.image.url)
