from datetime import timedelta

from django import template
from django.utils.translation import ngettext

from backend.core.money import format_money
from storefront.editorjs import render_editorjs

register = template.Library()


@register.filter
def money(minor, currency="VND"):
    """Integer minor units as the shop shows prices everywhere: `125.000 ₫`."""
    if minor is None:
        return ""
    return format_money(minor, currency)


@register.filter
def editorjs(description):
    return render_editorjs(description)


@register.filter
def localized(instance, field):
    """`field` of `instance` in the active language: its translation when one was prefetched
    (see storefront.catalog.in_active_language) and is filled in, else the Vietnamese source."""
    for translation in getattr(instance, "active_translations", ()):
        value = getattr(translation, field, None)
        if value:
            return value
    return getattr(instance, field)


@register.filter
def lag(delay: timedelta | None) -> str:
    """A sync delay in the largest whole unit: `40 giây`, `3 phút`, `2 giờ`, `5 ngày`."""
    if delay is None:
        return ""
    seconds = max(int(delay.total_seconds()), 0)
    if seconds < 60:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    if seconds < 3600:
        minutes = seconds // 60
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    if seconds < 2 * 86400:
        hours = seconds // 3600
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    days = seconds // 86400
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
