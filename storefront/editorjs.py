"""EditorJS JSON (the product description format Saleor uses) rendered as safe HTML.

Only paragraph, header and list blocks are shown. Every piece of text is escaped first, so
markup typed by a producer never runs in the buyer's browser; then EditorJS's own inline
formatting — bare <b>, <i>, <u>, <mark>, <br> tags, nothing with attributes — is put back, and
links are reduced to their text.
"""

import json
import re

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

_INLINE_TAG = re.compile(r"&lt;(/?)(b|i|u|strong|em|mark|br)\s*/?&gt;", re.IGNORECASE)
_LINK_TAG = re.compile(r"&lt;(a\s.*?|/a)&gt;", re.IGNORECASE)


def _inline(text):
    """Escaped text with EditorJS's attribute-less inline tags restored."""
    escaped = _LINK_TAG.sub("", escape(text))
    return mark_safe(_INLINE_TAG.sub(lambda m: f"<{m[1]}{m[2].lower()}>", escaped))


def _blocks(description):
    if isinstance(description, str):
        try:
            description = json.loads(description)
        except ValueError:
            return []
    if not isinstance(description, dict):
        return []
    blocks = description.get("blocks")
    return blocks if isinstance(blocks, list) else []


def _list_items(items):
    """Items are strings (EditorJS list v1) or {content, items} dicts (nested list v2)."""
    rendered = []
    for item in items or []:
        if isinstance(item, dict):
            nested = _list(item.get("items"), "ul")
            rendered.append(format_html("<li>{}{}</li>", _inline(item.get("content", "")), nested))
        else:
            rendered.append(format_html("<li>{}</li>", _inline(item)))
    return mark_safe("".join(rendered))


def _list(items, tag):
    if not items:
        return ""
    return format_html("<{tag}>{items}</{tag}>", tag=mark_safe(tag), items=_list_items(items))


def _render_block(block):
    data = block.get("data") or {}
    kind = block.get("type")
    if kind == "paragraph":
        return format_html("<p>{}</p>", _inline(data.get("text", "")))
    if kind == "header":
        level = data.get("level")
        # The page title is the only <h1>; description headings sit below it.
        level = min(max(level, 2), 6) if isinstance(level, int) else 2
        text = _inline(data.get("text", ""))
        return format_html("<h{level}>{text}</h{level}>", level=level, text=text)
    if kind == "list":
        return _list(data.get("items"), "ol" if data.get("style") == "ordered" else "ul")
    return ""


def render_editorjs(description) -> SafeString:
    blocks = [block for block in _blocks(description) if isinstance(block, dict)]
    return format_html_join("\n", "{}", ((_render_block(block),) for block in blocks))
