"""Fill a database with the demo shop: provinces, channels, the OCOP catalogue frame, the real
seed products and their producers, a generated catalogue in every province and group,
collections, accounts, pages and menus. Running it again changes nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse

from backend.demo.catalogue import DEMO_CATALOGUE_SIZE, demo_catalogue, ensure_demo_catalogue
from backend.demo.collections import ensure_collections
from backend.demo.content import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    PRODUCER_PASSWORD,
    ensure_admin,
    ensure_menus,
    ensure_pages,
    ensure_producer_member,
)
from backend.demo.customers import CUSTOMER_EMAIL, CUSTOMER_PASSWORD, ensure_demo_customer
from backend.demo.livestream import ensure_demo_livestreams, ensure_live_orders
from backend.demo.marketplaces import ensure_demo_marketplaces
from backend.demo.orders import ensure_demo_orders
from backend.demo.seeds import ensure_seed_catalog
from backend.demo.shipping import ensure_shipping, ensure_vouchers
from backend.demo.structure import CATEGORY_TREE, ensure_structure
from backend.ocop.provinces import load_provinces


class Command(BaseCommand):
    help = "Populate the database with the OCOP Market demo data (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--generated-products",
            type=int,
            default=DEMO_CATALOGUE_SIZE,
            help="size of the generated catalogue beside the seed products (0: none)",
        )

    def handle(self, *args, generated_products, **options):
        with transaction.atomic():
            load_provinces()
            structure = ensure_structure()
            products = ensure_seed_catalog(structure)
            if generated_products:
                ensure_demo_catalogue(structure, generated_products)
            collections = ensure_collections(structure.channels)
            admin = ensure_admin()
            producers = {product.producer for product in products}
            members = [ensure_producer_member(p) for p in sorted(producers, key=lambda p: p.slug)]
            pages = ensure_pages()
            groups = [slug for (slug, _name, _en), _children in CATEGORY_TREE]
            ensure_menus(structure.categories, groups, pages)
            ensure_shipping(structure.channels)
            ensure_vouchers(structure.channels)
            ensure_demo_orders(products, structure.channels["vn"])
            ensure_demo_customer(products, structure.channels["vn"])
            ensure_demo_livestreams(products, structure.channels["vn"], admin)
            ensure_live_orders(structure.channels["vn"])
            # Last: the marketplaces are synced with the stock every other part left.
            ensure_demo_marketplaces(structure.channels["vn"])
        self._print_summary(products, collections, admin, members, pages)

    def _print_summary(self, products, collections, admin, members, pages):
        base = settings.PUBLIC_URL.rstrip("/")
        write = self.stdout.write
        generated = demo_catalogue().count()
        write(
            self.style.SUCCESS(
                f"Demo data ready: {len(products)} seed products and {generated} generated ones "
                "(demo values) in 34 provinces."
            )
        )
        write(f"  Shop:        {base}/")
        write(f"  GraphQL API: {base}/graphql/")
        write(f"  Admin:       {base}/admin/  ({admin.email} / {ADMIN_PASSWORD})")
        for product in products:
            url = reverse("storefront:product", kwargs={"slug": product.slug})
            write(f"  Product:     {base}{url}  ({product.producer.province})")
        write(f"  Collections (slug): {', '.join(collections)}")
        write(f"  Livestreams: {base}/live/")
        write(f"  Pages (slug): {', '.join(pages)}; menus: navbar, footer")
        write(f"  Producer logins (password: {PRODUCER_PASSWORD}):")
        for member in members:
            write(f"    {member.email}  ({member.first_name})")
        write(f"  Staff login: {ADMIN_EMAIL} / {ADMIN_PASSWORD}")
        sign_in = reverse("storefront:sign_in")
        write(f"  Customer login: {base}{sign_in}  ({CUSTOMER_EMAIL} / {CUSTOMER_PASSWORD})")
