"""Watch the sync without marketplace accounts: the four local marketplaces (tests/marketplace_
servers) on fixed ports, the demo accounts of `populatedb` connected to them, and the shop served
in the same process, so an order placed in the shop lowers the stock on all four at once.

A background thread does what Celery beat does in production: the outbox sweep every couple of
seconds and the order poll every 10 s (Tiki's orders only come in that way), and prints each SKU
whose stock changed on the local marketplaces."""

import logging
import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from backend.warehouse.availability import available_quantities
from integrations.marketplaces import sync, tasks
from integrations.marketplaces.listings import unmatched
from integrations.marketplaces.models import MarketplaceAccount, SyncStatus, VariantMapping

SWEEP_SECONDS = 2
POLL_SECONDS = 10


def sandbox_accounts():
    from tests.marketplace_servers.world import DEMO_SUFFIX, MARKETPLACES

    return MarketplaceAccount.objects.filter(
        name__endswith=DEMO_SUFFIX, marketplace__in=MARKETPLACES
    ).order_by("pk")


def connect_sandbox(world) -> list[MarketplaceAccount]:
    """List every demo mapping's SKU (and each shop's unmatched listings) on the running
    `world` with our current stock, connect the demo accounts to it with fresh tokens, and push
    so the pushed values are today's. Parked mappings stay parked: their items are not listed."""
    accounts = list(sandbox_accounts())
    if not accounts:
        raise CommandError("No demo marketplace accounts: run `manage.py populatedb` first.")
    for account in accounts:
        _list_again(world, account)
        for name, value in world.account_fields(account.marketplace).items():
            setattr(account, name, value)
        account.enabled = True
        account.lease_owner, account.lease_until, account.recent_calls = "", None, []
        account.save()
        sync.mark_stock_changed(account.mappings.all())
    for account in accounts:
        sync.push_stock(account)
    return accounts


def _list_again(world, account) -> None:
    mappings = list(
        account.mappings.exclude(stock_status=SyncStatus.PARKED).select_related("variant__product")
    )
    available = available_quantities({m.variant_id for m in mappings}, account.channel_id)
    for mapping in mappings:
        variant = mapping.variant
        world.list_sku(
            account.marketplace,
            mapping.seller_sku or variant.sku,
            name=f"{variant.product.name} {variant.name}".strip(),
            stock=sync.sellable(variant, available, account.safety_buffer),
            price=mapping.pushed_price,
            item_id=mapping.item_id,
            sku_id=mapping.sku_id,
        )
    for listing in unmatched(account):
        world.list_sku(
            account.marketplace,
            listing.seller_sku,
            name=listing.name,
            stock=listing.quantity,
            price=listing.price,
            item_id=listing.item_id,
            sku_id=listing.sku_id,
        )


def marketplace_stock(world) -> dict[str, dict[str, int | None]]:
    """{our SKU: {marketplace: the stock it shows}} for every connected mapping."""
    from tests.marketplace_servers.world import WAREHOUSE, Listed

    shown: dict[str, dict[str, int | None]] = {}
    mappings = (
        VariantMapping.objects.filter(account__in=sandbox_accounts(), account__enabled=True)
        .exclude(stock_status=SyncStatus.PARKED)
        .select_related("account", "variant")
        .order_by("variant__sku", "account_id")
    )
    for mapping in mappings:
        marketplace = mapping.account.marketplace
        listed = Listed(
            mapping.item_id, mapping.sku_id, mapping.warehouse_id or WAREHOUSE[marketplace]
        )
        label = mapping.account.get_marketplace_display()
        shown.setdefault(mapping.variant.sku, {})[label] = world.stock(marketplace, listed)
    return shown


def stock_lines(shown, before=None) -> list[str]:
    """One line per SKU whose marketplace stock differs from `before`."""
    return [
        f"  {sku}: " + " · ".join(f"{label} {quantity}" for label, quantity in stock.items())
        for sku, stock in shown.items()
        if before is None or before.get(sku) != stock
    ]


class Ticker(threading.Thread):
    """Celery beat's part in the sandbox: sweep, poll orders, print what changed."""

    def __init__(self, world, write):
        super().__init__(daemon=True)
        self.world, self.write = world, write
        self.shown = None

    def run(self):
        last_poll = 0.0
        while True:
            try:
                tasks.sweep()
                if time.monotonic() - last_poll >= POLL_SECONDS:
                    tasks.poll_orders()
                    last_poll = time.monotonic()
                self.report()
            except Exception as error:  # keep watching: the next tick tries again
                self.write(f"Sandbox sync: {error!r}")
            finally:
                close_old_connections()
            time.sleep(SWEEP_SECONDS)

    def report(self):
        shown = marketplace_stock(self.world)
        lines = stock_lines(shown, self.shown)
        if lines:
            self.write("Stock on the local marketplaces:")
            for line in lines:
                self.write(line)
        self.shown = shown


class Command(BaseCommand):
    help = (
        "Start the local Shopee, Lazada, TikTok Shop and Tiki, connect the demo accounts to "
        "them and serve the shop, to watch a shop order change the stock on all four."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--ports",
            default="",
            help="Ports of the local marketplaces, e.g. shopee=8601,lazada=8602,tiktok=8603,"
            "tiki=8604 (these are the defaults).",
        )

    def handle(self, *args, addrport, ports, **options):
        from tests.marketplace_servers.world import SANDBOX_PORTS, MarketplaceWorld

        chosen = dict(SANDBOX_PORTS)
        for pair in filter(None, ports.split(",")):
            name, _, port = pair.partition("=")
            if name not in chosen or not port.isdigit():
                raise CommandError(f"--ports: {pair!r} is not <marketplace>=<port>")
            chosen[name] = int(port)
        # Eager tasks log every run; the sandbox prints what changed on the marketplaces instead.
        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
        world = MarketplaceWorld().start(ports=chosen)
        try:
            accounts = connect_sandbox(world)
            for name, server in world.servers.items():
                self.stdout.write(f"Local {name} at {server.url}")
            self.stdout.write(
                f"{len(accounts)} demo shops connected. Place an order in the shop, then see "
                "/admin/marketplaces/marketplaceaccount/ and /portal/san-ban/."
            )
            ticker = Ticker(world, self.stdout.write)
            ticker.report()
            ticker.start()
            call_command("runserver", addrport, use_reloader=False)
        finally:
            world.stop()
            # Nothing listens at these addresses any more: pushing there would only fail.
            sandbox_accounts().update(enabled=False)
