from django import template

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
