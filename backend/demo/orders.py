"""Demo orders: a few cash-on-delivery orders of the seed products, placed the way the shop
places them (checkout → delivery → COD payment → order, with stock allocated), so the
producers' portal and the office console have orders to show. Created once: a database that
has any demo order keeps what it has."""

from backend.checkout.calculations import checkout_total
from backend.checkout.complete_checkout import complete_checkout
from backend.checkout.contact import set_billing_address, set_email, set_shipping_address
from backend.checkout.create import create_checkout
from backend.checkout.delivery import set_delivery
from backend.checkout.fetch import checkout_info, fetch_checkout_info
from backend.checkout.lines import LineInput
from backend.checkout.live import add_live_offer
from backend.order.models import Order
from backend.payment import services as payment_services
from backend.payment.gateways import COD, get_gateway
from backend.shipping.services import applicable_shipping_methods

DEMO_BUYER_DOMAIN = "khach.demo.ocop.vn"
BUYERS = (
    ("Lan", "Nguyễn", "12 Phan Đình Phùng", "Phường Ba Đình", "Thành phố Hà Nội", "0912345678"),
    ("Minh", "Trần", "45 Lê Lợi", "Phường Sài Gòn", "Thành phố Hồ Chí Minh", "0903123456"),
    ("Hoa", "Lê", "8 Trần Phú", "Phường Hải Châu", "Thành phố Đà Nẵng", "0935222333"),
    ("Tuấn", "Phạm", "21 Hùng Vương", "Phường Hồng Bàng", "Thành phố Hải Phòng", "0977444555"),
)


def ensure_demo_orders(products, channel) -> list[Order]:
    """One order per buyer, each with one or two seed products."""
    if Order.objects.filter(user_email__endswith=f"@{DEMO_BUYER_DOMAIN}").exists():
        return []
    variants = [product.variants.order_by("sort_order", "pk").first() for product in products]
    variants = [variant for variant in variants if variant is not None]
    orders = []
    for index, buyer in enumerate(BUYERS):
        chosen = [variants[index % len(variants)], variants[(index + 3) % len(variants)]]
        lines = [
            LineInput(variant=variant, quantity=1 + index % 2)
            for variant in chosen[: 1 + index % 2]
        ]
        orders.append(place_demo_order(channel, lines, buyer, index))
    return orders


def buyer_address(buyer) -> dict:
    """A demo buyer (first name, last name, street, ward, province, phone) as an address."""
    first_name, last_name, street, ward, province, phone = buyer
    return {
        "first_name": first_name,
        "last_name": last_name,
        "street_address_1": street,
        "city": ward,
        "country_area": province,
        "country": "VN",
        "phone": phone,
    }


def place_demo_order(channel, lines, buyer, index, *, live_offers=(), user=None) -> Order:
    """`live_offers`: livestream offers bought through their event (one unit each); `user`: the
    signed-in buyer placing it (their email), a guest otherwise."""
    checkout = create_checkout(channel, lines=lines, user=user)
    for offer in live_offers:
        add_live_offer(checkout, offer, 1)
    set_email(checkout, user.email if user else f"khach{index + 1}@{DEMO_BUYER_DOMAIN}")
    address = buyer_address(buyer)
    set_shipping_address(checkout, address)
    set_billing_address(checkout, address)
    method, _listing = applicable_shipping_methods(checkout_info(checkout))[0]
    set_delivery(checkout, shipping_method=method)
    gateway = get_gateway(COD)
    tx = payment_services.create_transaction(
        gateway_id=gateway.id, currency=checkout.currency, checkout=checkout, name=str(gateway.name)
    )
    payment_services.start_transaction(
        tx,
        gateway,
        action="CHARGE",
        amount=checkout_total(fetch_checkout_info(checkout)),
        data=None,
        customer_ip=None,
    )
    return complete_checkout(checkout, user=user)
