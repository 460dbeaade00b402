"""EditorJS documents, the JSON format Saleor (and so the storefront) uses for rich text."""

import hashlib

EDITORJS_VERSION = "2.30.7"


def editorjs(*paragraphs: str) -> dict:
    """A document of plain paragraphs. Block ids derive from the text, so building the same
    document twice gives equal JSON (demo data stays idempotent)."""
    return {
        "time": 0,
        "blocks": [
            {
                "id": hashlib.md5(f"{index}:{text}".encode()).hexdigest()[:10],
                "type": "paragraph",
                "data": {"text": text},
            }
            for index, text in enumerate(paragraphs)
        ],
        "version": EDITORJS_VERSION,
    }


def plaintext(document: dict | None) -> str:
    """The text of a document's blocks, for search and previews."""
    if not document:
        return ""
    return "\n".join(
        block.get("data", {}).get("text", "") for block in document.get("blocks", [])
    ).strip()
