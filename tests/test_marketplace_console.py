"""The office's marketplace console in the Django admin: shops with their sync figures, the
push / reconcile / retry actions, the reconciliation report and the unmatched listings; only
for MANAGE_INTEGRATIONS, secrets never shown back, queries bounded whatever the page holds."""

from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from backend.account.models import User
from backend.product.models import ProductVariant
from integrations.marketplaces.models import (
    Marketplace,
    MarketplaceAccount,
    MarketplaceOrder,
    ReconciliationRun,
    RemoteListing,
    SyncStatus,
    VariantMapping,
)
from tests.marketplace_servers.tiki_server import TikiServer

pytestmark = pytest.mark.django_db

ACCOUNTS = "/admin/marketplaces/marketplaceaccount/"
MAPPINGS = "/admin/marketplaces/variantmapping/"
SECRET = "bi-mat-khong-duoc-lo"
TOKEN = "the-truy-cap-khong-duoc-lo"


def _staff(email, with_permission):
    user = User.objects.create_user(email, "mat-khau-dai-123", is_staff=True)
    if with_permission:
        user.user_permissions.add(Permission.objects.get(codename="manage_integrations"))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def office():
    return _staff("tich-hop@ocop.example", True)


@pytest.fixture
def other_staff():
    return _staff("danh-muc@ocop.example", False)


def make_account(producer_cast, channel, name, marketplace=Marketplace.POSTMART, **fields):
    fields = {"app_secret": SECRET, "access_token": TOKEN, **fields}
    return MarketplaceAccount.objects.create(
        producer=producer_cast.producer if producer_cast else None,
        marketplace=marketplace,
        name=name,
        channel=channel,
        **fields,
    )


@pytest.fixture
def shop(producer_a, channel_vn):
    """Producer A's shop: one SKU pushed 5 minutes ago, one parked with Tiki's error, one
    waiting for 10 minutes."""
    now = timezone.now()
    account = make_account(producer_a, channel_vn, "Shop Tân Cương")
    VariantMapping.objects.create(
        account=account,
        variant=producer_a.variant,
        item_id="1001",
        stock_status=SyncStatus.SYNCED,
        stock_version=2,
        pushed_version=2,
        pushed_at=now - timedelta(minutes=5),
        pushed_quantity=18,
    )
    for sku, status, error in (
        ("tra-kho", SyncStatus.PARKED, "Sàn báo: SKU đã bị khóa"),
        ("tra-xanh", SyncStatus.PENDING, ""),
    ):
        variant = ProductVariant.objects.create(product=producer_a.product, sku=sku, name=sku)
        VariantMapping.objects.create(
            account=account,
            variant=variant,
            item_id=sku,
            seller_sku=sku,
            stock_status=status,
            stock_version=2,
            pushed_version=1,
            attempts=5 if status == SyncStatus.PARKED else 0,
            changed_at=now - timedelta(minutes=10),
            last_error=error,
        )
    return account


def _action(client, url, action, objects):
    return client.post(url, {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in objects]})


def test_the_account_list_shows_each_shops_figures(office, shop):
    page = office.get(ACCOUNTS).content.decode()

    assert "Shop Tân Cương" in page and "HTX tra-tan-cuong" in page
    assert '<td class="field-mapped">3</td>' in page
    assert '<td class="field-waiting">1</td>' in page
    assert '<td class="field-parked">1</td>' in page
    assert '<td class="field-last_push">5\xa0phút trước</td>' in page
    assert '<td class="field-lag">10\xa0phút</td>' in page


def test_the_office_opens_every_page(office, shop):
    mapping = VariantMapping.objects.get(account=shop, item_id="tra-kho")
    for url in (
        f"{ACCOUNTS}add/",
        f"{MAPPINGS}{mapping.pk}/change/",
        "/admin/marketplaces/marketplaceorder/",
        "/admin/marketplaces/remotelisting/",
        "/admin/marketplaces/reconciliationrun/",
    ):
        assert office.get(url).status_code == 200, url
    assert (
        "Sàn báo: SKU đã bị khóa" in office.get(f"{MAPPINGS}{mapping.pk}/change/").content.decode()
    )
    assert "Tài khoản sàn" in office.get("/admin/").content.decode()


def test_pages_need_manage_integrations(other_staff, shop):
    run = ReconciliationRun.objects.create(account=shop, checked=1, drifted=0)
    for url in (
        ACCOUNTS,
        f"{ACCOUNTS}{shop.pk}/change/",
        MAPPINGS,
        "/admin/marketplaces/marketplaceorder/",
        "/admin/marketplaces/remotelisting/",
        f"/admin/marketplaces/reconciliationrun/{run.pk}/change/",
    ):
        assert other_staff.get(url).status_code == 403, url
    assert "marketplaces" not in other_staff.get("/admin/").content.decode()
    before = VariantMapping.objects.filter(stock_status=SyncStatus.PARKED).count()
    assert _action(other_staff, ACCOUNTS, "retry_parked", [shop]).status_code == 403
    assert VariantMapping.objects.filter(stock_status=SyncStatus.PARKED).count() == before


def test_secrets_are_never_shown_and_blank_keeps_them(office, shop):
    url = f"{ACCOUNTS}{shop.pk}/change/"
    page = office.get(url).content.decode()
    assert SECRET not in page and TOKEN not in page
    assert 'type="password" name="app_secret"' in page

    form = {
        "producer": shop.producer_id,
        "marketplace": shop.marketplace,
        "name": "Shop Tân Cương mới",
        "channel": shop.channel_id,
        "enabled": "on",
        "safety_buffer": 3,
        "shop_id": "",
        "app_key": "",
        "app_secret": "",
        "access_token": "",
        "refresh_token": "the-lam-moi",
        "access_expires_at": 0,
        "refresh_expires_at": 0,
        "extra": "{}",
        "api_url": "",
        "auth_url": "",
        "calls_per_second": "",
    }
    response = office.post(url, form)

    assert response.status_code == 302, response.content.decode()[:2000]
    shop.refresh_from_db()
    assert (shop.name, shop.safety_buffer) == ("Shop Tân Cương mới", 3)
    assert (shop.app_secret, shop.access_token) == (SECRET, TOKEN)
    assert shop.refresh_token == "the-lam-moi"
    assert "the-lam-moi" not in office.get(url).content.decode()


def test_retry_parked_makes_the_parked_skus_due_again(office, shop):
    response = _action(office, ACCOUNTS, "retry_parked", [shop])

    assert response.status_code == 302
    retried = VariantMapping.objects.get(account=shop, item_id="tra-kho")
    assert (retried.stock_status, retried.attempts) == (SyncStatus.PENDING, 0)
    assert retried.stock_version > retried.pushed_version
    assert "Đã thử lại 1 SKU." in office.get(ACCOUNTS).content.decode()


def test_the_mapping_list_shows_errors_and_retries(office, shop):
    page = office.get(f"{MAPPINGS}?stock_status__exact=parked").content.decode()
    assert "Sàn báo: SKU đã bị khóa" in page
    assert "tra-xanh" not in page

    parked = VariantMapping.objects.filter(stock_status=SyncStatus.PARKED)
    assert _action(office, MAPPINGS, "retry", parked).status_code == 302

    assert not VariantMapping.objects.filter(stock_status=SyncStatus.PARKED).exists()


def test_push_now_puts_the_stock_on_the_marketplace(office, producer_a, channel_vn):
    with TikiServer(rate_limit=1000) as tiki:
        tiki.add_item(producer_a.variant.sku, stock=99)
        access, refresh, expires = tiki.issue_tokens()
        account = make_account(
            producer_a,
            channel_vn,
            "Tiki Tân Cương",
            Marketplace.TIKI,
            app_key=tiki.client_id,
            app_secret=tiki.client_secret,
            access_token=access,
            refresh_token=refresh,
            access_expires_at=expires,
            api_url=tiki.url,
            safety_buffer=2,
        )
        VariantMapping.objects.create(
            account=account,
            variant=producer_a.variant,
            item_id="1",
            seller_sku=producer_a.variant.sku,
            warehouse_id="HN",
        )

        response = _action(office, ACCOUNTS, "push_now", [account])

        assert response.status_code == 302
        assert tiki.stock[(producer_a.variant.sku, "HN")] == 18  # 20 available − buffer 2
    mapping = VariantMapping.objects.get(account=account)
    assert (mapping.stock_status, mapping.pushed_quantity) == (SyncStatus.SYNCED, 18)


def test_the_reconciliation_report_lists_the_drifts(office, shop):
    run = ReconciliationRun.objects.create(
        account=shop,
        checked=3,
        drifted=1,
        drifts=[{"variant_id": 1, "sku": "tra-kho", "ours": 7, "theirs": 12}],
    )

    listed = office.get("/admin/marketplaces/reconciliationrun/").content.decode()
    detail = office.get(f"/admin/marketplaces/reconciliationrun/{run.pk}/change/").content.decode()

    assert '<td class="field-checked">3</td>' in listed
    assert '<td class="field-drifted">1</td>' in listed
    assert "<tr><td>tra-kho</td><td>7</td><td>12</td></tr>" in detail
    assert 'name="checked"' not in detail  # a report, not a form


def test_orders_and_unmatched_listings_are_shown(office, shop):
    MarketplaceOrder.objects.create(
        account=shop,
        order_id="DH-778899",
        status="READY_TO_SHIP",
        state="open",
        remote_updated_at=1,
        problem="SKU chưa liên kết: ABC",
    )
    now = timezone.now()
    RemoteListing.objects.create(account=shop, item_id="1001", quantity=18, seen_at=now)
    RemoteListing.objects.create(
        account=shop, item_id="5555", seller_sku="LA-SEN", quantity=4, seen_at=now
    )

    orders = office.get("/admin/marketplaces/marketplaceorder/").content.decode()
    unmatched = office.get("/admin/marketplaces/remotelisting/?unmatched=1").content.decode()

    assert "DH-778899" in orders and "SKU chưa liên kết: ABC" in orders
    assert "LA-SEN" in unmatched and "1001" not in unmatched


@pytest.mark.parametrize("count", [1, 20])
def test_the_account_list_costs_the_same_queries_for_1_or_20_shops(
    office, producer_a, channel_vn, count, django_assert_max_num_queries
):
    for i in range(count):
        account = make_account(producer_a, channel_vn, f"Shop {i}")
        VariantMapping.objects.create(
            account=account, variant=producer_a.variant, item_id=str(i), pushed_at=timezone.now()
        )
        ReconciliationRun.objects.create(account=account, checked=1, drifted=0)

    with django_assert_max_num_queries(11):
        page = office.get(ACCOUNTS).content.decode()

    assert page.count('<td class="field-mapped">1</td>') == count
