"""Demo warehouses and prices: a store per producer and an OCOP showroom per province that
offers pick-up (click and collect)."""

from backend.warehouse.models import ClickAndCollectOption, Warehouse

# A fixed demo rate to derive the `intl` channel's USD prices from the VND ones.
DEMO_VND_PER_USD = 25_000
DEMO_NOTE = "Giá, tồn kho, khối lượng và hình ảnh là số liệu minh họa (demo)."
DEMO_NOTE_EN = "Prices, stock, weights and images are demo values."


def usd_cents(vnd: int) -> int:
    """USD cents for a VND amount at the demo rate, rounded to the nearest cent."""
    return max(1, (vnd * 100 + DEMO_VND_PER_USD // 2) // DEMO_VND_PER_USD)


def showroom_slug(province) -> str:
    return f"diem-ban-ocop-{province.slug}"


def producer_store_slug(producer) -> str:
    return f"kho-{producer.slug}"


def ensure_showroom(province, channels) -> Warehouse:
    warehouse, _ = Warehouse.objects.update_or_create(
        slug=showroom_slug(province),
        defaults={
            "name": f"Điểm bán OCOP {province.name}",
            "province": province,
            "is_private": False,
            "click_and_collect_option": ClickAndCollectOption.LOCAL_STOCK,
            "street_address": f"Trung tâm giới thiệu sản phẩm OCOP {province.name}",
        },
    )
    warehouse.channels.set([channels["vn"]])
    return warehouse


def ensure_producer_store(producer, channels) -> Warehouse:
    warehouse, _ = Warehouse.objects.update_or_create(
        slug=producer_store_slug(producer),
        defaults={
            "name": f"Kho {producer.name}",
            "producer": producer,
            "province": producer.province,
            "street_address": producer.address,
            "phone": producer.phone,
            "email": producer.email,
        },
    )
    warehouse.channels.set(channels.values())
    return warehouse
