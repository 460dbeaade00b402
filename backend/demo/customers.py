"""The demo customer: a confirmed shop account with two saved addresses and orders (one shipped
with a tracking code), so the account pages (/tai-khoan/) have something to show. Idempotent:
the account's password is reset, addresses and orders are made only when it has none."""

from backend.account import services as account_services
from backend.account.models import User
from backend.checkout.lines import LineInput
from backend.demo.orders import buyer_address, place_demo_order
from backend.order.actions import fulfill_order
from backend.order.models import Carrier, Order
from backend.warehouse.models import Stock
from backend.warehouse.services import set_stock_quantities

CUSTOMER_EMAIL = "khach@example.com"
CUSTOMER_PASSWORD = "Mua-ocop-2025"  # for local demo databases only
TRACKING_NUMBER = "GHN5KD8Q2VN"
HOME = ("Lan", "Nguyễn", "12 Phan Đình Phùng", "Phường Ba Đình", "Thành phố Hà Nội", "0912345678")
OFFICE = ("Lan", "Nguyễn", "8 Trần Phú", "Phường Hải Châu", "Thành phố Đà Nẵng", "0912345678")


def ensure_demo_customer(products, channel) -> User:
    user = User.objects.filter(email=CUSTOMER_EMAIL).first() or User(email=CUSTOMER_EMAIL)
    user.first_name, user.last_name = "Lan", "Nguyễn"
    user.is_active = user.is_confirmed = True
    if not user.check_password(CUSTOMER_PASSWORD):
        user.set_password(CUSTOMER_PASSWORD)
    user.save()
    if not user.addresses.exists():
        home = account_services.create_address(user, buyer_address(HOME), account_services.SHIPPING)
        account_services.set_default_address(user, home, account_services.BILLING)
        account_services.create_address(user, buyer_address(OFFICE))
    if not Order.objects.filter(user=user).exists():
        _place_orders(user, products, channel)
    return user


def _place_orders(user, products, channel):
    """Three orders, oldest first: one shipped by GHN with its tracking code, one waiting, one
    sent to the office address."""
    variants = [product.variants.order_by("sort_order", "pk").first() for product in products]
    variants = [variant for variant in variants if variant is not None][:3]
    if not variants:
        return
    shipped = place_demo_order(
        channel, [LineInput(variant=variants[0], quantity=2)], HOME, 0, user=user
    )
    shelves = [
        (stock.warehouse, stock.quantity)
        for stock in Stock.objects.filter(product_variant=variants[0]).select_related("warehouse")
    ]
    fulfill_order(
        shipped,
        [(line, line.quantity) for line in shipped.lines.all()],
        user=None,
        tracking_number=TRACKING_NUMBER,
        carrier=Carrier.GHN,
    )
    # The producer restocks what it shipped: the seed quantities stay what the catalogue sets,
    # so running the demo again changes no stock.
    set_stock_quantities(variants[0], shelves)
    for variant, address in zip(variants[1:], (HOME, OFFICE), strict=False):
        place_demo_order(channel, [LineInput(variant=variant, quantity=1)], address, 0, user=user)
