"""Generate a large, realistic OCOP catalogue (for benchmarks and demos)."""

import time

from django.core.management.base import BaseCommand

from backend.demo.generator import CatalogGenerator
from backend.demo.structure import ensure_structure
from backend.ocop.provinces import load_provinces
from backend.product.spelling import refresh_search_vocabulary


class Command(BaseCommand):
    help = "Generate N products across the 34 provinces and six OCOP groups (bulk inserts)."

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, default=1000, help="how many products")
        parser.add_argument("--seed", type=int, default=None, help="random seed (repeatable)")

    def handle(self, *args, products, seed, **options):
        started = time.monotonic()
        load_provinces()
        structure = ensure_structure()
        created = CatalogGenerator(structure, seed=seed, stdout=self.stdout).generate(products)
        refresh_search_vocabulary()  # written in bulk, without Product.save()
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Generated {created} products in {elapsed:.1f} s"))
