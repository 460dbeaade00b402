"""Tags for base.html's head and footer: canonical, hreflang and Open Graph links (storefront.seo),
and the footer's links (storefront.footer)."""

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from storefront import seo
from storefront.footer import footer_sections

register = template.Library()


class CaptureNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        context[self.name] = mark_safe(self.nodelist.render(context).strip())
        return ""


@register.tag
def capture(parser, token):
    """`{% capture as name %}…{% endcapture %}`: what the body renders, kept in `name` to be
    shown more than once (the page's title as <title> and og:title). Blocks inside it stay
    overridable by child templates."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.inclusion_tag("storefront/_head_links.html", takes_context=True)
def head_links(context):
    """Canonical, hreflang alternates, and the Open Graph address and locales of this page."""
    request = context["request"]
    language = seo.active_language()
    return {
        "canonical": seo.canonical_url(request),
        "alternates": seo.language_alternates(request),
        "og_locale": seo.OPEN_GRAPH_LOCALES.get(language, language),
        "og_alternate_locales": [
            seo.OPEN_GRAPH_LOCALES.get(code, code)
            for code, _name in settings.LANGUAGES
            if code != language
        ],
        "site_name": seo.SITE_NAME,
    }


@register.simple_tag(takes_context=True)
def path_without_language(context):
    return seo.path_without_language(context["request"])


@register.simple_tag
def sharing_image():
    return seo.sharing_image()


@register.inclusion_tag("storefront/_footer.html", takes_context=True)
def site_footer(context):
    request = context["request"]
    language = seo.active_language()
    return {
        "sections": footer_sections(language),
        "languages": [
            (code, name, seo.path_in(request, code, explicit=True), code == language)
            for code, name in settings.LANGUAGES
        ],
        "hotline": settings.SHOP_HOTLINE,
        "support_email": settings.SHOP_SUPPORT_EMAIL,
    }


@register.simple_tag(takes_context=True)
def product_seo(context):
    """{data}: the product page's schema.org Product (its images feed og:image too)."""
    return {"data": seo.product_data(context["request"], context["product"], context["offers"])}


@register.simple_tag
def shop_structured_data():
    return [seo.organization_data(), seo.website_data()]
