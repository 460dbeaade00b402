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
