"""The four local marketplaces side by side, each with one seller shop, behind one interface:
what the sync tests, the sandbox command (`manage.py marketplace_sandbox`) and bench/sync.py
use to connect accounts to them, list SKUs, read the stock they show and place orders."""

import time
from dataclasses import dataclass

from tests.marketplace_servers.lazada_server import LazadaServer
from tests.marketplace_servers.shopee_server import ShopeeServer
from tests.marketplace_servers.tiki_server import TikiServer
from tests.marketplace_servers.tiktok_server import TikTokServer

MARKETPLACES = ("shopee", "lazada", "tiktok", "tiki")
# Where `manage.py marketplace_sandbox` serves them, so the demo accounts can point there.
SANDBOX_PORTS = {"shopee": 8601, "lazada": 8602, "tiktok": 8603, "tiki": 8604}
DEMO_SUFFIX = " (demo)"  # how populatedb names the demo accounts the sandbox connects
LAZADA_SELLER = "200001"
WAREHOUSE = {"shopee": "", "lazada": "", "tiktok": "W1", "tiki": "HN"}


@dataclass(frozen=True)
class Listed:
    """Where a SKU sits on one marketplace: what a VariantMapping stores."""

    item_id: str
    sku_id: str
    warehouse_id: str


class MarketplaceWorld:
    def __init__(self, *, rate_limits: dict[str, int] | None = None):
        limits = {"shopee": 1000, "lazada": 1000, "tiktok": 1000, "tiki": 1000}
        limits.update(rate_limits or {})
        self.servers = {
            "shopee": ShopeeServer(rate_limit=limits["shopee"]),
            "lazada": LazadaServer(rate_limit=limits["lazada"]),
            "tiktok": TikTokServer(rate_limit=limits["tiktok"]),
            "tiki": TikiServer(rate_limit=limits["tiki"]),
        }
        self._next_item = 7_000_001

    def start(self, ports: dict[str, int] | None = None):
        for name, server in self.servers.items():
            if ports and name in ports:
                server.port = ports[name]
            server.start()
        return self

    def stop(self):
        for server in self.servers.values():
            server.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- accounts --------------------------------------------------------------------------
    @staticmethod
    def api_url(marketplace: str, base_url: str) -> str:
        """The account's `api_url` for the marketplace served at `base_url`."""
        return base_url + "/rest" if marketplace == "lazada" else base_url

    def account_fields(self, marketplace: str) -> dict:
        """The MarketplaceAccount fields connecting an account to the local marketplace, with a
        fresh token pair."""
        server = self.servers[marketplace]
        if marketplace == "shopee":
            access, refresh = server.issue_tokens()
            return {
                "app_key": server.partner_id,
                "app_secret": server.partner_key,
                "shop_id": server.shop_id,
                "access_token": access,
                "refresh_token": refresh,
                "access_expires_at": time.time() + server.access_ttl,
                "api_url": server.url,
            }
        if marketplace == "lazada":
            tokens = server.create_tokens(LAZADA_SELLER)
            return {
                "app_key": server.app_key,
                "app_secret": server.app_secret,
                "shop_id": LAZADA_SELLER,
                "access_token": tokens["access_token"],
                "refresh_token": tokens["refresh_token"],
                "access_expires_at": time.time() + tokens["expires_in"],
                "api_url": self.api_url(marketplace, server.url),
            }
        if marketplace == "tiktok":
            access, refresh, access_expires, refresh_expires = server.issue_tokens()
            return {
                "app_key": server.app_key,
                "app_secret": server.app_secret,
                "shop_id": server.shop_id,
                "access_token": access,
                "refresh_token": refresh,
                "access_expires_at": access_expires,
                "refresh_expires_at": refresh_expires,
                "api_url": server.url,
                "extra": {"shop_cipher": server.shop_cipher, "warehouse_id": WAREHOUSE["tiktok"]},
            }
        access, refresh, expires = server.issue_tokens()
        return {
            "app_key": server.client_id,
            "app_secret": server.client_secret,
            "access_token": access,
            "refresh_token": refresh,
            "access_expires_at": expires,
            "api_url": server.url,
            "extra": {"warehouse_id": WAREHOUSE["tiki"]},
        }

    # --- listings ----------------------------------------------------------------------------
    def list_sku(
        self,
        marketplace: str,
        seller_sku: str,
        *,
        name="",
        stock=0,
        price=None,
        item_id=None,
        sku_id=None,
    ) -> Listed:
        """List a SKU (as the seller did by hand); `item_id` groups SKUs of one product. With
        both `item_id` and `sku_id` the SKU is listed (again) under those ids, at `stock`."""
        server = self.servers[marketplace]
        if marketplace == "tiki":  # one product per SKU
            again = {"product_id": str(item_id), "sku": str(sku_id)} if sku_id is not None else {}
            product_id = server.add_item(seller_sku, name=name, stock=stock, price=price, **again)
            return Listed(product_id, server.products[product_id]["sku"], WAREHOUSE["tiki"])
        if item_id is None:
            item_id, self._next_item = self._next_item, self._next_item + 1
        if sku_id is None:
            sku_id, self._next_item = self._next_item, self._next_item + 1
        sku_id = int(sku_id)
        self._next_item = max(self._next_item, int(item_id) + 1, sku_id + 1)
        if marketplace == "shopee":
            models = server.items.get(int(item_id), set()) | {sku_id}
            server.add_item(
                int(item_id),
                tuple(sorted(models)),
                name=name,
                stock={sku_id: stock},
                price={sku_id: price} if price is not None else None,
            )
            server.model_skus[(int(item_id), sku_id)] = seller_sku
        elif marketplace == "lazada":
            server.add_item(item_id, sku_id, seller_sku, name, stock, price)
        else:
            server.add_item(item_id, sku_id, seller_sku, name, stock, price, WAREHOUSE["tiktok"])
        return Listed(str(item_id), str(sku_id), WAREHOUSE[marketplace])

    def stock(self, marketplace: str, listed: Listed) -> int | None:
        """The stock the marketplace shows for a listed SKU."""
        server = self.servers[marketplace]
        if marketplace == "shopee":
            return server.stock.get((int(listed.item_id), int(listed.sku_id or 0)))
        if marketplace == "lazada":
            return server.stock.get((listed.item_id, listed.sku_id))
        if marketplace == "tiktok":
            return server.stock.get((listed.item_id, listed.sku_id, listed.warehouse_id))
        seller_sku = server.products[listed.item_id]["original_sku"]
        return sum(q for (sku, _w), q in server.stock.items() if sku == seller_sku)

    def price(self, marketplace: str, listed: Listed) -> int | None:
        server = self.servers[marketplace]
        if marketplace == "shopee":
            return server.prices.get((int(listed.item_id), int(listed.sku_id or 0)))
        if marketplace == "tiki":
            return server.prices.get(server.products[listed.item_id]["original_sku"])
        return server.prices.get((listed.item_id, listed.sku_id))

    # --- orders ------------------------------------------------------------------------------
    def place_order(self, marketplace: str, listed: Listed, quantity: int) -> str:
        server = self.servers[marketplace]
        if marketplace == "shopee":
            return server.place_order([(int(listed.item_id), int(listed.sku_id or 0), quantity)])
        return server.place_order([(listed.item_id, listed.sku_id, quantity)])

    def order_push(self, marketplace: str, callback_url: str, order_id: str):
        """The signed order-status push the marketplace sends: (raw body, headers)."""
        return self.servers[marketplace].signed_order_push(callback_url, order_id)

    def throttled(self) -> dict[str, int]:
        return {name: server.throttled for name, server in self.servers.items()}
