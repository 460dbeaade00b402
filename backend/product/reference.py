"""The category tree, from the process's copy of the category table
(backend/core/reference.py): categories by id and the children of each."""

from dataclasses import dataclass

from backend.core.reference import ReferenceData
from backend.product.models import Category


@dataclass(frozen=True)
class CategoryTree:
    by_id: dict[int, Category]
    children: dict[int | None, list[Category]]  # parent id -> children, in category order


def _load_tree() -> CategoryTree:
    by_id, children = {}, {}
    for category in Category.objects.all():
        by_id[category.pk] = category
        children.setdefault(category.parent_id, []).append(category)
    return CategoryTree(by_id, children)


_tree = ReferenceData(_load_tree, Category)


def category_tree() -> CategoryTree:
    return _tree.get()


def with_descendants(category_ids) -> list[int]:
    """The categories and every category below them."""
    children = category_tree().children
    found, frontier = list(dict.fromkeys(category_ids)), list(dict.fromkeys(category_ids))
    seen = set(found)
    while frontier:
        frontier = [
            child.pk for pk in frontier for child in children.get(pk, ()) if child.pk not in seen
        ]
        seen.update(frontier)
        found.extend(frontier)
    return found


def counts_by_root(counts: dict[int, int]) -> dict[int, int]:
    """{category id: products} summed up to each category's top-level ancestor (its OCOP group)."""
    by_id = category_tree().by_id
    totals: dict[int, int] = {}
    for category_id, count in counts.items():
        category = by_id.get(category_id)
        while category is not None and category.parent_id is not None:
            category = by_id.get(category.parent_id)
        if category is not None:
            totals[category.pk] = totals.get(category.pk, 0) + count
    return totals
