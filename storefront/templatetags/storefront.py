import json
from datetime import timedelta

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from backend.core.ids import global_id
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


@register.inclusion_tag("storefront/_breadcrumbs.html", takes_context=True)
def breadcrumbs(context, *trail):
    """The trail from the home page to this one: `{% breadcrumbs label url … label %}`, pairs
    of a label and its address, the last label (this page) without one. Rendered as a labelled
    `nav` and as schema.org `BreadcrumbList` for search engines."""
    request = context.get("request")
    steps = [(_("Home"), reverse("storefront:home"))]
    pairs = list(trail)
    while len(pairs) >= 2:
        label, url = pairs.pop(0), pairs.pop(0)
        steps.append((label, url))
    current = pairs[0] if pairs else None
    absolute = request.build_absolute_uri if request is not None else str
    items = [
        {"@type": "ListItem", "position": position, "name": str(label), "item": absolute(url)}
        for position, (label, url) in enumerate(steps, start=1)
    ]
    if current is not None:
        items.append({"@type": "ListItem", "position": len(items) + 1, "name": str(current)})
    data = {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}
    return {"steps": steps, "current": current, "structured_data": data}


_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def ld_json(data) -> str:
    """`data` as the body of a `<script type="application/ld+json">` (schema.org markup), with
    the characters that could close the script escaped."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES))


# Widths (px) the shop asks the thumbnail service for (backend/thumbnail: sizes it makes).
PHOTO_WIDTHS = (256, 512, 1024)


def _thumbnail(image, width: int) -> str:
    path = {"instance_id": global_id("ProductMedia", image.pk), "size": width, "format": "webp"}
    return reverse("thumbnail", kwargs=path)


@register.filter
def photo_url(image, width=0) -> str:
    """The address of a product photo `width` px wide as WebP (0: the photo as uploaded); an
    external photo's own address."""
    if image.image:
        return _thumbnail(image, int(width)) if int(width) else image.image.url
    return image.external_url or ""


@register.simple_tag
def product_image(image, alt="", sizes="100vw", widths=PHOTO_WIDTHS, lazy=True, size=600):
    """A product photo as a responsive WebP `<img>`: a `srcset` of the thumbnail service's
    widths (`widths`, comma-separated in a template) for the browser to pick from with `sizes`,
    `size`×`size` as its box (photos are shown square), lazily loaded unless `lazy` is false.
    A photo at an external address is shown as it is."""
    alt = alt or image.alt
    loading = "lazy" if lazy else "eager"
    if not image.image:
        return format_html(
            '<img src="{}" alt="{}" width="{}" height="{}" loading="{}" decoding="async">',
            image.external_url or "",
            alt,
            size,
            size,
            loading,
        )
    if isinstance(widths, str):
        widths = [int(width) for width in widths.split(",")]
    srcset = ", ".join(f"{_thumbnail(image, width)} {width}w" for width in widths)
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" alt="{}" width="{}" height="{}" loading="{}"'
        ' decoding="async">',
        _thumbnail(image, widths[min(1, len(widths) - 1)]),  # for browsers without srcset
        srcset,
        sizes,
        alt,
        size,
        size,
        loading,
    )
