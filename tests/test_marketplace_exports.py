"""PostMart and Voso on PostgreSQL: the bulk-upload files (XLSX and CSV with Vietnamese
headers) of a producer's published variants, stored again only when their content changed, who
may download them, and their order export holding our stock once."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from backend.account.models import User
from backend.product.models import ProductMedia, ProductVariant, ProductVariantChannelListing
from backend.warehouse.availability import available_quantities
from backend.warehouse.models import Stock
from backend.warehouse.services import set_stock_quantities
from integrations.marketplaces.export_tasks import refresh_catalog_exports
from integrations.marketplaces.exports import EXPORT_COLUMNS, export_catalog, import_orders_file
from integrations.marketplaces.models import (
    CatalogExport,
    Marketplace,
    MarketplaceAccount,
    MarketplaceOrder,
)

pytestmark = pytest.mark.django_db

HEADERS = [
    "Tên sản phẩm",
    "Danh mục",
    "SKU",
    "Giá (VNĐ)",
    "Tồn kho",
    "Khối lượng (g)",
    "Mô tả",
    "Ảnh",
]


@pytest.fixture
def account(producer_a, producer_b, channel_vn):
    return MarketplaceAccount.objects.create(
        producer=producer_a.producer,
        marketplace=Marketplace.POSTMART,
        name="PostMart Tân Cương",
        channel=channel_vn,
        safety_buffer=3,
    )


def add_variants(cast, channel, count):
    variants = ProductVariant.objects.bulk_create(
        [
            ProductVariant(
                product=cast.product, sku=f"extra-{i}", name=f"Gói {i}", weight_grams=250
            )
            for i in range(count)
        ]
    )
    ProductVariantChannelListing.objects.bulk_create(
        [
            ProductVariantChannelListing(
                variant=v, channel=channel, currency="VND", price_amount=50_000
            )
            for v in variants
        ]
    )
    Stock.objects.bulk_create(
        [Stock(warehouse=cast.warehouse, product_variant=v, quantity=7) for v in variants]
    )


def sheet_rows(export):
    with export.xlsx.open("rb") as stored:
        workbook = load_workbook(io.BytesIO(stored.read()))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_the_xlsx_lists_the_producers_variants_with_stock_minus_the_buffer(
    account, producer_a, settings
):
    settings.PUBLIC_URL = "https://ocop.example.vn"
    producer_a.variant.weight_grams = 500
    producer_a.variant.save()
    ProductMedia.objects.create(product=producer_a.product, image="products/tra.jpg")

    export = export_catalog(account)

    rows = sheet_rows(export)
    assert rows[0] == HEADERS
    assert rows[1:] == [
        [
            "Sản phẩm tra-tan-cuong (Hộp 500 g)",
            "Thực phẩm",
            "tra-tan-cuong-1",
            120_000,
            17,  # 20 in stock, 3 kept back
            500,
            None,
            "https://ocop.example.vn/media/products/tra.jpg",
        ]
    ]
    assert isinstance(rows[1][3], int)
    assert export.rows == 1


def test_the_csv_reads_as_utf8_with_a_bom(account):
    export = export_catalog(account)
    with export.csv.open("rb") as stored:
        raw = stored.read()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0] == HEADERS
    assert table[1][2:5] == ["tra-tan-cuong-1", "120000", "17"]


def test_a_file_is_stored_again_only_when_the_data_changed(account, producer_a):
    assert export_catalog(account) is not None
    assert export_catalog(account) is None
    assert refresh_catalog_exports() == []

    set_stock_quantities(producer_a.variant, [(producer_a.warehouse, 9)])

    assert refresh_catalog_exports() == [account.pk]
    history = list(CatalogExport.objects.filter(account=account))
    assert len(history) == 2
    assert sheet_rows(history[0])[1][4] == 6
    assert export_catalog(account, force=True) is not None


def test_the_stock_never_goes_below_zero(account, producer_a):
    set_stock_quantities(producer_a.variant, [(producer_a.warehouse, 1)])
    assert sheet_rows(export_catalog(account))[1][4] == 0


def test_the_column_mapping_is_data(account, monkeypatch):
    monkeypatch.setitem(EXPORT_COLUMNS, Marketplace.POSTMART, {"Mã hàng": "sku", "Giá": "price"})
    assert sheet_rows(export_catalog(account)) == [["Mã hàng", "Giá"], ["tra-tan-cuong-1", 120_000]]


def test_the_export_takes_the_same_queries_for_5_or_50_variants(account, producer_a, channel_vn):
    add_variants(producer_a, channel_vn, 5)
    with CaptureQueriesContext(connection) as few:
        assert export_catalog(account).rows == 6
    ProductVariant.objects.filter(sku__startswith="extra-").delete()
    add_variants(producer_a, channel_vn, 50)
    with CaptureQueriesContext(connection) as many:
        assert export_catalog(account).rows == 51
    assert len(many) == len(few) <= 8


def download(client, export, kind="xlsx"):
    return client.get(reverse("marketplace-export-download", args=[export.pk, kind]))


def test_downloads_are_for_the_producer_and_the_office_only(
    client, account, producer_a, producer_b
):
    export = export_catalog(account)

    assert download(client, export).status_code == 404  # anonymous

    client.force_login(producer_b.owner)
    assert download(client, export).status_code == 404
    assert client.post(reverse("marketplace-export-refresh", args=[account.pk])).status_code == 404

    client.force_login(producer_a.owner)
    response = download(client, export, "csv")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbf")

    office = User.objects.create_user(email="tich-hop@ocop.vn", password="x", is_staff=True)
    office.user_permissions.add(Permission.objects.get(codename="manage_integrations"))
    client.force_login(office)
    assert download(client, export, "xlsx").status_code == 200


def test_regenerate_now_redirects_back_to_a_safe_next(client, account, producer_a):
    client.force_login(producer_a.owner)
    url = reverse("marketplace-export-refresh", args=[account.pk])
    response = client.post(url, {"next": "/portal/marketplaces/"})
    assert response.status_code == 302 and response["Location"] == "/portal/marketplaces/"
    assert CatalogExport.objects.filter(account=account).count() == 1
    response = client.post(url, {"next": "https://evil.example.com/"})
    assert response["Location"] == "/"


def orders_csv(rows, name="don-hang.csv"):
    text = io.StringIO()
    csv.writer(text).writerows([["Mã đơn hàng", "SKU", "Số lượng", "Trạng thái"], *rows])
    return SimpleUploadedFile(name, text.getvalue().encode("utf-8-sig"))


def available(cast, channel):
    return available_quantities([cast.variant.pk], channel)[cast.variant.pk]


def test_an_order_export_holds_our_stock_once(account, producer_a, channel_vn):
    rows = [["PM-1001", "tra-tan-cuong-1", "2", "Chờ xác nhận"]]

    assert len(import_orders_file(account, orders_csv(rows))) == 1
    assert available(producer_a, channel_vn) == 18

    import_orders_file(account, orders_csv(rows))
    assert available(producer_a, channel_vn) == 18
    assert MarketplaceOrder.objects.get().problem == ""

    import_orders_file(account, orders_csv([["PM-1001", "tra-tan-cuong-1", "2", "Đã hủy"]]))
    assert available(producer_a, channel_vn) == 20


def test_an_xlsx_order_export_is_read_too(account, producer_a, channel_vn):
    workbook = Workbook()
    workbook.active.append(["Mã đơn hàng", "SKU", "Số lượng", "Trạng thái"])
    workbook.active.append(["VS-7", "tra-tan-cuong-1", 3, "Đang giao"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    import_orders_file(account, SimpleUploadedFile("orders.xlsx", buffer.getvalue()))
    assert Stock.objects.get(product_variant=producer_a.variant).quantity == 17


def test_a_bad_order_file_changes_nothing(account, producer_a, channel_vn):
    rows = [
        ["PM-1", "tra-tan-cuong-1", "2", "Chờ xác nhận"],
        ["PM-2", "tra-tan-cuong-1", "hai", "Chờ xác nhận"],
    ]
    with pytest.raises(ValueError, match="dòng 3: số lượng “hai”"):
        import_orders_file(account, orders_csv(rows))
    wrong_columns = SimpleUploadedFile("orders.csv", "Mã đơn hàng,SKU\nPM-1,x\n".encode())
    with pytest.raises(ValueError, match="Số lượng"):
        import_orders_file(account, wrong_columns)
    with pytest.raises(ValueError):
        import_orders_file(account, SimpleUploadedFile("orders.pdf", b"%PDF"))
    assert not MarketplaceOrder.objects.exists()
    assert available(producer_a, channel_vn) == 20


def test_the_upload_view_imports_for_the_producer_only(client, account, producer_a, producer_b):
    url = reverse("marketplace-orders-import", args=[account.pk])
    upload = orders_csv([["PM-9", "tra-tan-cuong-1", "1", "Đang xử lý"]])
    client.force_login(producer_b.owner)
    assert client.post(url, {"file": upload}).status_code == 404
    client.force_login(producer_a.owner)
    upload.seek(0)
    assert client.post(url, {"file": upload, "next": "/portal/"}).status_code == 302
    assert MarketplaceOrder.objects.get().order_id == "PM-9"


def test_the_offices_own_shop_lists_every_producers_variants(producer_a, producer_b, channel_vn):
    office_shop = MarketplaceAccount.objects.create(
        marketplace=Marketplace.VOSO, name="Voso OCOP", channel=channel_vn
    )
    skus = [row[2] for row in sheet_rows(export_catalog(office_shop))[1:]]
    assert sorted(skus) == ["nuoc-mam-phu-quoc-1", "tra-tan-cuong-1"]
