from django import template

from storefront.session_cart import cart_quantity

register = template.Library()


@register.simple_tag(takes_context=True)
def cart_count(context):
    """Units in the visitor's cart for the header link (no query without a cart)."""
    request = context.get("request")
    return cart_quantity(request) if request is not None else 0
