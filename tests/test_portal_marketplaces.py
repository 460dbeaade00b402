"""The portal's marketplace pages: each shop's sync status, one shop's mapped SKUs with "send
again" for stopped ones, mapping unmatched listings by hand or by SKU, a product's mappings per
variant — and another producer's shops, mappings and listings answering 404."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from backend.product.models import ProductVariant
from integrations.marketplaces.exports import export_catalog
from integrations.marketplaces.models import (
    Marketplace,
    MarketplaceAccount,
    ReconciliationRun,
    RemoteListing,
    SyncStatus,
    VariantMapping,
)

pytestmark = pytest.mark.django_db

UNREACHABLE = "http://127.0.0.1:9/"  # nothing listens: every push fails as retryable


def make_account(cast, channel, marketplace=Marketplace.TIKI, name="Tiki Tân Cương"):
    return MarketplaceAccount.objects.create(
        producer=cast.producer,
        marketplace=marketplace,
        name=name,
        channel=channel,
        app_key="client",
        app_secret="secret",
        access_token="token",
        refresh_token="refresh",
        access_expires_at=timezone.now().timestamp() + 86400,
        refresh_expires_at=timezone.now().timestamp() + 86400,
        api_url=UNREACHABLE,
        auth_url=UNREACHABLE,
    )


def listing(account, item_id, seller_sku="", name="Trà móc câu"):
    return RemoteListing.objects.create(
        account=account,
        item_id=item_id,
        sku_id="",
        seller_sku=seller_sku,
        name=name,
        quantity=4,
        seen_at=timezone.now(),
    )


@pytest.fixture
def member(client, producer_a):
    client.force_login(producer_a.owner)
    return client


@pytest.fixture
def tiki(producer_a, channel_vn):
    return make_account(producer_a, channel_vn)


@pytest.fixture
def parked(tiki, producer_a):
    return VariantMapping.objects.create(
        account=tiki,
        variant=producer_a.variant,
        item_id="T-100",
        seller_sku=producer_a.variant.sku,
        stock_version=3,
        pushed_version=2,
        pushed_quantity=18,
        pushed_at=timezone.now() - timedelta(minutes=10),
        changed_at=timezone.now() - timedelta(minutes=4),
        stock_status=SyncStatus.PARKED,
        attempts=5,
        last_error="400: SKU T-100 is locked by Tiki",
    )


def test_the_list_shows_each_shop_with_its_figures(member, tiki, parked, producer_a, channel_vn):
    postmart = make_account(producer_a, channel_vn, Marketplace.POSTMART, "PostMart Tân Cương")
    VariantMapping.objects.create(account=postmart, variant=producer_a.variant, item_id="P-1")
    ReconciliationRun.objects.create(account=tiki, checked=12, drifted=3)
    page = member.get(reverse("portal:marketplaces")).content.decode()
    assert "Tiki · Tiki Tân Cương" in page and "PostMart · PostMart Tân Cương" in page
    assert "Xuất tệp" in page  # PostMart has no API: a file, not pushes
    assert "3 trên 12 SKU lệch" in page
    assert reverse("portal:marketplace", args=[tiki.pk]) in page
    page = member.get(reverse("portal:marketplace", args=[postmart.pk])).content.decode()
    assert "P-1" in page and "Xuất tệp" in page and "Chờ gửi" not in page


def test_a_waiting_change_shows_its_delay(member, tiki, parked):
    VariantMapping.objects.update(stock_status=SyncStatus.PENDING, attempts=0)
    page = member.get(reverse("portal:marketplaces")).content.decode()
    assert "Độ trễ: 4 phút" in page


def test_a_stopped_sku_shows_the_marketplace_error_and_is_sent_again(member, tiki, parked):
    url = reverse("portal:marketplace", args=[tiki.pk])
    page = member.get(url).content.decode()
    assert "400: SKU T-100 is locked by Tiki" in page
    assert "Dừng: cần xử lý" in page and "T-100" in page and "18" in page

    response = member.post(reverse("portal:marketplace_retry_mapping", args=[tiki.pk, parked.pk]))

    assert response.status_code == 302
    parked.refresh_from_db()
    # Due again with a new version; the push ran (eagerly) and Tiki was unreachable: retrying.
    assert parked.stock_version == 4 and parked.pushed_version == 2
    assert parked.stock_status == SyncStatus.RETRYING and parked.attempts == 1
    assert parked.last_error.startswith("network")
    assert parked.pushed_quantity == 18


def test_retry_all_sends_only_the_stopped_skus_again(member, tiki, parked, producer_a):
    other = ProductVariant.objects.create(product=producer_a.product, sku="tra-2", name="Hộp 1 kg")
    synced = VariantMapping.objects.create(
        account=tiki,
        variant=other,
        item_id="T-200",
        stock_version=1,
        pushed_version=1,
        stock_status=SyncStatus.SYNCED,
    )
    tiki.enabled = False  # nothing is pushed: the state the retry left stays to be seen
    tiki.save()
    member.post(reverse("portal:marketplace_retry", args=[tiki.pk]))
    parked.refresh_from_db()
    synced.refresh_from_db()
    assert (parked.stock_status, parked.attempts) == (SyncStatus.PENDING, 0)
    assert (synced.stock_status, synced.stock_version) == (SyncStatus.SYNCED, 1)


def test_a_listing_is_mapped_by_hand_and_by_sku(member, tiki, producer_a):
    tiki.enabled = False
    tiki.save()
    by_hand = listing(tiki, "T-300", name="Trà búp")
    listing(tiki, "T-301", seller_sku="tra-2", name="Trà 1 kg")
    second = ProductVariant.objects.create(product=producer_a.product, sku="tra-2", name="1 kg")
    url = reverse("portal:marketplace", args=[tiki.pk])
    page = member.get(url).content.decode()
    assert "Trà búp" in page and "Trà 1 kg" in page

    member.post(
        reverse("portal:marketplace_map_listing", args=[tiki.pk, by_hand.pk]),
        {"variant": producer_a.variant.pk},
    )
    mapping = VariantMapping.objects.get(account=tiki, variant=producer_a.variant)
    assert (mapping.item_id, mapping.matched_by) == ("T-300", VariantMapping.MatchedBy.HAND)

    member.post(reverse("portal:marketplace_match_by_sku", args=[tiki.pk]))
    mapping = VariantMapping.objects.get(account=tiki, variant=second)
    assert (mapping.item_id, mapping.matched_by) == ("T-301", VariantMapping.MatchedBy.SKU)
    page = member.get(url).content.decode()
    assert "Mọi tin đăng" in page  # nothing unmatched is left


def test_another_producers_variant_is_refused_with_a_message(member, tiki, producer_b):
    remote = listing(tiki, "T-400")
    response = member.post(
        reverse("portal:marketplace_map_listing", args=[tiki.pk, remote.pk]),
        {"variant": producer_b.variant.pk},
        follow=True,
    )
    assert "Không thể ghép" in response.content.decode()
    assert not VariantMapping.objects.exists()


def test_the_product_tab_shows_each_variant_in_each_shop(member, tiki, parked, producer_a):
    ProductVariant.objects.create(product=producer_a.product, sku="tra-2", name="Hộp 1 kg")
    url = reverse("portal:product_marketplaces", args=[producer_a.product.pk])
    page = member.get(url).content.decode()
    assert "400: SKU T-100 is locked by Tiki" in page
    assert "Hộp 1 kg" in page and "Chưa ghép" in page
    edit = member.get(reverse("portal:product_edit", args=[producer_a.product.pk])).content
    assert url in edit.decode()


def test_another_producers_shop_mapping_and_listing_answer_404(
    client, tiki, parked, producer_a, producer_b, channel_vn
):
    remote = listing(tiki, "T-500")
    own = make_account(producer_b, channel_vn, name="Tiki Phú Quốc")
    own_mapping = VariantMapping.objects.create(
        account=own,
        variant=producer_b.variant,
        item_id="B-1",
        stock_status=SyncStatus.PARKED,
    )
    client.force_login(producer_b.owner)
    assert client.get(reverse("portal:marketplace", args=[tiki.pk])).status_code == 404
    for name, args, data in [
        ("portal:marketplace_retry", [tiki.pk], {}),
        ("portal:marketplace_retry_mapping", [tiki.pk, parked.pk], {}),
        ("portal:marketplace_retry_mapping", [own.pk, parked.pk], {}),
        ("portal:marketplace_match_by_sku", [tiki.pk], {}),
        (
            "portal:marketplace_map_listing",
            [tiki.pk, remote.pk],
            {"variant": producer_b.variant.pk},
        ),
        ("portal:marketplace_map_listing", [own.pk, remote.pk], {"variant": producer_b.variant.pk}),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404
        assert client.post(reverse(name, args=args), data).status_code == 404
    product_tab = reverse("portal:product_marketplaces", args=[producer_a.product.pk])
    assert client.get(product_tab).status_code == 404
    page = client.get(reverse("portal:marketplaces")).content.decode()
    assert "Tiki Phú Quốc" in page and "Tiki Tân Cương" not in page
    parked.refresh_from_db()
    own_mapping.refresh_from_db()
    assert (parked.stock_status, parked.stock_version) == (SyncStatus.PARKED, 3)
    assert own_mapping.stock_status == SyncStatus.PARKED
    assert VariantMapping.objects.count() == 2


def add_mappings(account, cast, count):
    for i in range(count):
        variant = ProductVariant.objects.create(product=cast.product, sku=f"bulk-{i}", name=f"{i}")
        VariantMapping.objects.create(
            account=account,
            variant=variant,
            item_id=f"B-{i}",
            stock_status=SyncStatus.PARKED if i % 3 else SyncStatus.SYNCED,
            last_error="500: busy" if i % 3 else "",
            changed_at=timezone.now(),
        )
        listing(account, f"U-{i}", name=f"Chưa ghép {i}")


@pytest.mark.parametrize("count", [1, 30])
def test_the_pages_take_the_same_queries_for_1_or_30_mappings(
    member, tiki, producer_a, channel_vn, django_assert_max_num_queries, count
):
    add_mappings(tiki, producer_a, count)
    for i in range(count):
        run_account = make_account(producer_a, channel_vn, name=f"Tiki {i}")
        ReconciliationRun.objects.create(account=run_account, checked=count, drifted=1)
    urls = [
        reverse("portal:marketplaces"),
        reverse("portal:marketplace", args=[tiki.pk]),
        reverse("portal:product_marketplaces", args=[producer_a.product.pk]),
    ]
    for url in urls:
        with django_assert_max_num_queries(12):
            assert member.get(url).status_code == 200


def test_a_postmart_shop_page_offers_its_files_and_takes_an_order_export(
    member, producer_a, channel_vn
):
    account = make_account(producer_a, channel_vn, Marketplace.POSTMART, "PostMart Tân Cương")
    export = export_catalog(account)
    page = member.get(reverse("portal:marketplace", args=[account.pk]))
    html = page.content.decode()
    assert "Tệp đăng sản phẩm hàng loạt" in html and "1 dòng" in html
    download = member.get(reverse("marketplace-export-download", args=[export.pk, "xlsx"]))
    assert download.status_code == 200 and download["Content-Disposition"].endswith('.xlsx"')

    csv_file = "mã đơn hàng,SKU,số lượng,trạng thái\nPM-1,tra-tan-cuong-1,2,Chờ xác nhận\n"
    answer = member.post(
        reverse("marketplace-orders-import", args=[account.pk]),
        {
            "file": SimpleUploadedFile("don.csv", csv_file.encode("utf-8-sig"), "text/csv"),
            "next": reverse("portal:marketplace", args=[account.pk]),
        },
        follow=True,
    )
    assert "Đã đọc 1 đơn hàng." in answer.content.decode()
    assert account.orders.get().order_id == "PM-1"
