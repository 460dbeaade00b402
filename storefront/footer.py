"""The footer's links: the `footer` menu (headings with their pages and groups, as the demo and
the office build it), in one query whatever the language. Read once per language and cached; any
change to menus, pages or categories forgets the cached copies (see storefront.apps)."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from backend.menu.models import MenuItem, MenuItemTranslation

FOOTER_MENU = "footer"
CACHE_SECONDS = 600


def cache_key(language: str) -> str:
    return f"storefront:footer:{language}"


def _is_published(page) -> bool:
    return page.is_published and (page.published_at is None or page.published_at <= timezone.now())


def _item_link(item) -> dict | None:
    if item.page_id:
        if not _is_published(item.page):
            return None
        url = reverse("storefront:page", kwargs={"slug": item.page.slug})
    elif item.category_id:
        url = reverse("storefront:category", kwargs={"slug": item.category.slug})
    elif item.url:
        url = item.url
    else:
        return None
    return {"name": item.translated_name or item.name, "url": url}


def _from_menu(language: str) -> list[dict]:
    translated = MenuItemTranslation.objects.filter(
        menu_item=OuterRef("pk"), language_code=language
    ).exclude(name="")
    items = list(
        MenuItem.objects.filter(menu__slug=FOOTER_MENU)
        .select_related("page", "category")
        .annotate(translated_name=Subquery(translated.values("name")[:1]))
        .order_by("level", "sort_order", "pk")
    )
    children = {}
    for item in items:
        if item.parent_id is not None:
            link = _item_link(item)
            if link is not None:
                children.setdefault(item.parent_id, []).append(link)
    sections = []
    for item in items:
        if item.parent_id is None and children.get(item.pk):
            title = item.translated_name or item.name
            sections.append({"title": title, "links": children[item.pk]})
    return sections


def footer_sections(language: str) -> list[dict]:
    """[{title, links: [{name, url}]}] in `language` (the active one)."""
    key = cache_key(language)
    sections = cache.get(key)
    if sections is None:
        sections = _from_menu(language)
        cache.set(key, sections, CACHE_SECONDS)
    return sections


def forget_footer(**_signal) -> None:
    cache.delete_many([cache_key(code) for code, _name in settings.LANGUAGES])
