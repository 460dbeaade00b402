"""A second producer's member reaches nothing of the first producer's: its product pages, photo
management, stock and orders answer 404 in the portal, the admin turns them away, and the
GraphQL API answers as if nothing existed. Nothing changes on the way."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from backend.core.ids import global_id
from backend.ocop.models import Certification, IssuerLevel, ProductGroup
from backend.order.models import Fulfillment
from backend.product.models import Product, ProductMedia
from backend.warehouse.models import Stock
from tests.fixtures.accounts import access_token_for
from tests.fixtures.catalog import image_bytes
from tests.fixtures.checkout import VN_ADDRESS
from tests.order_factory import create_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_data(channel_vn, producer_a):
    """Producer A's draft with a photo and a certificate, and an order of its product."""
    product = producer_a.product
    product.channel_listings.update(is_published=False)
    media = ProductMedia.objects.create(
        product=product, image=ContentFile(image_bytes("JPEG"), name="anh.jpg"), sort_order=0
    )
    certification = Certification.objects.create(
        product=product,
        producer=producer_a.producer,
        stars=4,
        product_group=ProductGroup.FOOD,
        decision_number="12/QĐ-UBND",
        decision_date=date(2026, 1, 5),
        issuer_level=IssuerLevel.PROVINCE,
        issuer_name="UBND tỉnh Thái Nguyên",
        valid_from=date(2026, 1, 5),
    )
    order = create_order(channel_vn, [(producer_a.variant, 1)], address_data=VN_ADDRESS)
    return product, producer_a.variant, media, certification, order


def _portal_paths(a, data):
    product, variant, media, certification, order = data
    base = f"/portal/san-pham/{product.pk}"
    stock_field = f"q-{variant.pk}-{a.warehouse.pk}"
    return [
        ("GET", f"{base}/", {}),
        ("POST", f"{base}/", {"name": "Đổi tên", "action": "publish"}),
        ("POST", f"{base}/ngung-ban/", {}),
        ("GET", f"{base}/bien-the/{variant.pk}/", {}),
        ("POST", f"{base}/bien-the/{variant.pk}/", {"name": "X", "price-vn": "1000"}),
        ("POST", f"{base}/bien-the/{variant.pk}/xoa/", {}),
        ("POST", f"{base}/bien-the/them/", {"name": "Y", "price-vn": "1000"}),
        ("GET", f"{base}/anh/", {}),
        ("POST", f"{base}/anh/{media.pk}/di-chuyen/", {"direction": "down"}),
        ("POST", f"{base}/anh/{media.pk}/xoa/", {}),
        ("GET", f"{base}/ton-kho/", {}),
        ("POST", f"{base}/ton-kho/", {stock_field: "0"}),
        ("GET", f"/portal/don-hang/{order.number}/", {}),
        ("POST", f"/portal/don-hang/{order.number}/dong-goi/", {}),
        (
            "POST",
            f"/portal/don-hang/{order.number}/giao-hang/",
            {"carrier": "GHN", "tracking_number": "GHN123"},
        ),
        ("GET", f"/portal/chung-nhan/{certification.pk}/", {}),
    ]


def _state(data):
    product, variant, media, certification, order = data
    return (
        Product.objects.filter(pk=product.pk).values_list("name", "updated_at").get(),
        list(Stock.objects.filter(product_variant=variant).values_list("quantity", flat=True)),
        list(ProductMedia.objects.filter(product=product).values_list("pk", "sort_order")),
        product.variants.count(),
        list(product.channel_listings.values_list("is_published", flat=True)),
        Fulfillment.objects.filter(order=order).count(),
        list(order.lines.values_list("packed_at", flat=True)),
    )


def test_portal_answers_404_to_another_producers_member(producer_a, producer_b, a_data):
    client = Client()
    client.force_login(producer_b.owner)
    before = _state(a_data)
    for method, path, form in _portal_paths(producer_a, a_data):
        response = client.get(path) if method == "GET" else client.post(path, form)
        assert response.status_code == 404, (method, path, response.status_code)
    assert _state(a_data) == before
    # The owner reaches every one of these pages.
    owner = Client()
    owner.force_login(producer_a.owner)
    for method, path, _form in _portal_paths(producer_a, a_data):
        if method == "GET":
            assert owner.get(path).status_code == 200, path


def test_the_admin_turns_a_producers_member_away(producer_a, producer_b, a_data):
    client = Client()
    client.force_login(producer_b.owner)
    product, variant, media, certification, order = a_data
    for path in (
        f"/admin/product/product/{product.pk}/change/",
        f"/admin/product/productvariant/{variant.pk}/change/",
        f"/admin/order/order/{order.pk}/change/",
        f"/admin/ocop/certification/{certification.pk}/change/",
    ):
        response = client.get(path)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], path
        assert product.name not in response.content.decode()


def test_the_api_answers_as_if_nothing_existed(api_client, producer_a, producer_b, a_data):
    product, variant, media, certification, order = a_data
    token = access_token_for(producer_b.owner)
    queries = {
        "product": (
            "query($id: ID!) { product(id: $id) { name } }",
            global_id("Product", product.pk),
        ),
        "productVariant": (
            "query($id: ID!) { productVariant(id: $id) { name stocks { quantity } } }",
            global_id("ProductVariant", variant.pk),
        ),
        "warehouse": (
            "query($id: ID!) { warehouse(id: $id) { name } }",
            global_id("Warehouse", producer_a.warehouse.pk),
        ),
        "order": ("query($id: ID!) { order(id: $id) { number } }", global_id("Order", order.pk)),
    }
    for field, (query, node_id) in queries.items():
        result = api_client.execute(query, {"id": node_id}, token=token)
        assert result["data"][field] is None, field
    update = api_client.execute(
        'mutation($id: ID!) { productUpdate(id: $id, input: {name: "X"}) '
        "{ errors { field code } } }",
        {"id": global_id("Product", product.pk)},
        token=token,
    )
    assert update["data"]["productUpdate"]["errors"] == [{"field": "id", "code": "NOT_FOUND"}]
    product.refresh_from_db()
    assert product.name == "Sản phẩm tra-tan-cuong"
