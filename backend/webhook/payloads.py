"""JSON payloads of the webhook events, shaped like Saleor's: global IDs, ISO dates, amounts as
decimal strings in the currency's major unit (computed from the stored minor units)."""

from backend.core.ids import global_id
from backend.core.money import from_minor_units


def _money(minor: int | None, currency: str) -> dict | None:
    if minor is None:
        return None
    return {"amount": str(from_minor_units(minor, currency)), "currency": currency}


def _address(address) -> dict | None:
    if address is None:
        return None
    return {
        "first_name": address.first_name,
        "last_name": address.last_name,
        "company_name": address.company_name,
        "street_address_1": address.street_address_1,
        "street_address_2": address.street_address_2,
        "city": address.city,
        "city_area": address.city_area,
        "postal_code": address.postal_code,
        "country": str(address.country),
        "country_area": address.country_area,
        "phone": str(address.phone or ""),
    }


def order_payload(order) -> dict:
    """ORDER_CREATED / ORDER_PAID."""
    currency = order.currency
    lines = list(order.lines.select_related("variant"))
    return {
        "type": "Order",
        "id": global_id("Order", order.pk),
        "number": str(order.number),
        "created": order.created_at,
        "status": order.status,
        "source": order.source,
        "source_reference": order.source_reference,
        "channel": order.channel.slug,
        "language_code": order.language_code,
        "user_email": order.user_email,
        "user_id": global_id("User", order.user_id) if order.user_id else None,
        "currency": currency,
        "payment_gateway": order.payment_gateway,
        "charge_status": order.charge_status,
        "authorize_status": order.authorize_status,
        "is_paid": order.is_paid,
        "shipping_method": order.shipping_method_name or None,
        "collection_point": order.collection_point_name or None,
        "shipping_price": _money(order.shipping_price_amount, currency),
        "subtotal": _money(order.subtotal_amount, currency),
        "discount": _money(order.discount_amount, currency),
        "total": _money(order.total_amount, currency),
        "total_charged": _money(order.total_charged_amount, currency),
        "voucher_code": order.voucher_code or None,
        "shipping_address": _address(order.shipping_address),
        "billing_address": _address(order.billing_address),
        "metadata": order.metadata,
        "lines": [
            {
                "id": global_id("OrderLine", line.pk),
                "product_name": line.product_name,
                "variant_name": line.variant_name,
                "product_sku": line.product_sku,
                "variant_id": global_id("ProductVariant", line.variant_id)
                if line.variant_id
                else None,
                "quantity": line.quantity,
                "quantity_fulfilled": line.quantity_fulfilled,
                "unit_price": _money(line.unit_price_amount, line.currency),
                "undiscounted_unit_price": _money(
                    line.undiscounted_unit_price_amount, line.currency
                ),
                "total_price": _money(line.total_price_amount, line.currency),
            }
            for line in lines
        ],
    }


def product_payload(product) -> dict:
    """PRODUCT_UPDATED."""
    variants = list(product.variants.all())
    return {
        "type": "Product",
        "id": global_id("Product", product.pk),
        "name": product.name,
        "slug": product.slug,
        "updated_at": product.updated_at,
        "category": global_id("Category", product.category_id) if product.category_id else None,
        "metadata": product.metadata,
        "variants": [
            {
                "id": global_id("ProductVariant", variant.pk),
                "sku": variant.sku,
                "name": variant.name,
            }
            for variant in variants
        ],
    }


def stock_changed_payload(stocks) -> dict:
    """STOCK_CHANGED: the new levels of the stock rows that moved (a Stock queryset)."""
    rows = stocks.select_related("warehouse", "product_variant").annotate_available().order_by("pk")
    return {
        "type": "StockChanged",
        "stocks": [
            {
                "id": global_id("Stock", stock.pk),
                "warehouse": {
                    "id": global_id("Warehouse", stock.warehouse_id),
                    "slug": stock.warehouse.slug,
                    "name": stock.warehouse.name,
                },
                "variant": {
                    "id": global_id("ProductVariant", stock.product_variant_id),
                    "sku": stock.product_variant.sku,
                },
                "quantity": stock.quantity,
                "quantity_allocated": stock.quantity_allocated,
                "available": stock.available,
            }
            for stock in rows
        ],
    }
