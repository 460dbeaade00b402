from django.http import Http404


def thumbnail_view(request, instance_id, size, format=None):
    raise Http404
