"""The generated part of the demo shop: a few hundred products from producers in all 34
provinces and in the six OCOP groups, beside the real seed products, so every province, group
and filter of the shop has something to show. They are marked as demo values (the note in their
description and `demo_values` in their metadata) and pictured by illustrations."""

import random
from datetime import timedelta

from django.utils import timezone

from backend.demo.catalogue_mix import DEMO_GROUP_WEIGHTS, DEMO_STAR_WEIGHTS
from backend.demo.generator import CatalogGenerator
from backend.demo.structure import CatalogStructure
from backend.product.models import Product
from backend.product.spelling import refresh_search_vocabulary

DEMO_CATALOGUE_SIZE = 300
DEMO_PRODUCERS_PER_PROVINCE = 3
DEMO_CATALOGUE_TOKEN = "demo"
DEMO_CATALOGUE_SEED = 2025
# The generated products joined the shop over these past days, before the real seed products:
# the home page's newest products are the real ones, and "newest first" orders something.
DEMO_CATALOGUE_DAYS = 720


def demo_catalogue():
    """The generated demo products."""
    return Product.objects.filter(metadata__generated_catalogue=DEMO_CATALOGUE_TOKEN)


def ensure_demo_catalogue(structure: CatalogStructure, size: int = DEMO_CATALOGUE_SIZE) -> int:
    """Generate the demo catalogue once (the same one every time: a fixed seed); return how
    many products were created (none when it exists)."""
    if demo_catalogue().exists():
        return 0
    generator = CatalogGenerator(
        structure,
        seed=DEMO_CATALOGUE_SEED,
        token=DEMO_CATALOGUE_TOKEN,
        group_weights=DEMO_GROUP_WEIGHTS,
        star_weights=DEMO_STAR_WEIGHTS,
    )
    created = generator.generate(size, per_province=DEMO_PRODUCERS_PER_PROVINCE)
    _spread_over_past_days(list(demo_catalogue().only("pk")))
    refresh_search_vocabulary()  # written in bulk, without Product.save()
    return created


def _spread_over_past_days(products: list[Product]) -> None:
    rng, now = random.Random(DEMO_CATALOGUE_SEED), timezone.now()
    for product in products:
        product.created_at = now - timedelta(
            days=rng.randint(1, DEMO_CATALOGUE_DAYS), minutes=rng.randint(0, 1440)
        )
    Product.objects.bulk_update(products, ["created_at"], batch_size=500)
