"""PostMart and Voso have no seller API: their shops get a bulk-upload spreadsheet (XLSX and CSV)
of the producer's published variants, regenerated when our data change (earlier files stay as
the history), and their order export comes back in as a file that holds our stock.

Both file layouts are data (`EXPORT_COLUMNS`, `ORDER_COLUMNS`, `ORDER_STATES`), so following a
change of their templates is an edit of a table, not of code."""

import csv
import hashlib
import io
import json
import time
import unicodedata
import zipfile
from urllib.parse import urljoin

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from backend.product.models import (
    Product,
    ProductMedia,
    ProductMediaType,
    ProductVariantChannelListing,
)
from backend.warehouse.availability import available_quantities
from integrations.marketplaces.base import OrderState, RemoteOrder, RemoteOrderLine
from integrations.marketplaces.listings import variants_of
from integrations.marketplaces.models import (
    CatalogExport,
    Marketplace,
    MarketplaceAccount,
    MarketplaceOrder,
    VariantMapping,
)
from integrations.marketplaces.orders import apply_orders
from integrations.marketplaces.sync import sellable

# Header in the marketplace's template → the row value it takes.
_BULK_UPLOAD_COLUMNS = {
    "Tên sản phẩm": "name",
    "Danh mục": "category",
    "SKU": "sku",
    "Giá (VNĐ)": "price",
    "Tồn kho": "stock",
    "Khối lượng (g)": "weight_grams",
    "Mô tả": "description",
    "Ảnh": "image",
}
EXPORT_COLUMNS = {
    Marketplace.POSTMART: dict(_BULK_UPLOAD_COLUMNS),
    Marketplace.VOSO: dict(_BULK_UPLOAD_COLUMNS),
}

# What the order import reads → the header of their order export (matched ignoring case).
_ORDER_EXPORT_COLUMNS = {
    "order_id": "Mã đơn hàng",
    "sku": "SKU",
    "quantity": "Số lượng",
    "status": "Trạng thái",
}
ORDER_COLUMNS = {
    Marketplace.POSTMART: dict(_ORDER_EXPORT_COLUMNS),
    Marketplace.VOSO: dict(_ORDER_EXPORT_COLUMNS),
}

# Their order statuses (lower case) → what they mean for our stock.
ORDER_STATES = {
    "chờ xác nhận": OrderState.OPEN,
    "đang xử lý": OrderState.OPEN,
    "đang giao": OrderState.SHIPPED,
    "đã giao": OrderState.SHIPPED,
    "đã hủy": OrderState.CANCELLED,
    "đã huỷ": OrderState.CANCELLED,  # the older spelling of the same word
}


def _absolute_media_url(name: str) -> str:
    if not name:
        return ""
    return urljoin(settings.PUBLIC_URL.rstrip("/") + "/", default_storage.url(name))


def catalog_rows(account: MarketplaceAccount) -> list[dict]:
    """One row per priced variant of the account's published products in its channel, with the
    stock the shop may show (available − safety buffer, never below 0). Two queries."""
    channel = account.channel
    first_image = (
        ProductMedia.objects.filter(product_id=OuterRef("product_id"), type=ProductMediaType.IMAGE)
        .exclude(image="")
        .exclude(image__isnull=True)
        .order_by("sort_order", "pk")
        .values("image")[:1]
    )
    price = ProductVariantChannelListing.objects.filter(
        variant_id=OuterRef("pk"), channel=channel, price_amount__isnull=False
    ).values("price_amount")[:1]
    variants = list(
        variants_of(account)
        .filter(product__in=Product.objects.published(channel))
        .annotate(price=Subquery(price), first_image=Subquery(first_image))
        .filter(price__isnull=False)
        .select_related("product__category", "product__product_type")
        .order_by("product__name", "product_id", "sort_order", "pk")
    )
    available = available_quantities([variant.pk for variant in variants], channel)
    rows = []
    for variant in variants:
        product = variant.product
        rows.append(
            {
                "name": f"{product.name} ({variant.name})" if variant.name else product.name,
                "category": product.category.name if product.category else "",
                "sku": variant.sku or "",
                "price": int(variant.price),
                "stock": sellable(variant, available, account.safety_buffer),
                "weight_grams": variant.weight_grams
                or product.weight_grams
                or product.product_type.weight_grams
                or 0,
                "description": product.description_plaintext,
                "image": _absolute_media_url(variant.first_image),
            }
        )
    return rows


def _table(account: MarketplaceAccount, rows: list[dict]) -> list[list]:
    columns = EXPORT_COLUMNS[account.marketplace]
    return [list(columns), *([row[key] for key in columns.values()] for row in rows)]


def _xlsx(table: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sản phẩm"
    for line in table:
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv(table: list[list]) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows(table)
    return text.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def export_catalog(
    account: MarketplaceAccount, *, created_by=None, force: bool = False
) -> CatalogExport | None:
    """Store the account's bulk-upload files when their content differs from the last export
    (or `force`); None when nothing changed."""
    with transaction.atomic():
        # One export at a time per account, so two refreshes never store the same data twice.
        MarketplaceAccount.objects.select_for_update().filter(pk=account.pk).first()
        table = _table(account, catalog_rows(account))
        digest = hashlib.sha256(
            json.dumps(table, ensure_ascii=False, separators=(",", ":")).encode()
        ).hexdigest()
        last = (
            CatalogExport.objects.filter(account=account).values_list("digest", flat=True).first()
        )
        if last == digest and not force:
            return None
        stem = f"{account.marketplace}-{account.pk}-{timezone.now():%Y%m%d-%H%M%S}"
        export = CatalogExport(
            account=account, rows=len(table) - 1, digest=digest, created_by=created_by
        )
        export.xlsx.save(f"{stem}.xlsx", ContentFile(_xlsx(table)), save=False)
        export.csv.save(f"{stem}.csv", ContentFile(_csv(table)), save=False)
        export.save()
        return export


def _normal(text) -> str:
    return unicodedata.normalize("NFC", str(text if text is not None else "")).strip().lower()


def _read_table(uploaded_file) -> list[list]:
    name = (getattr(uploaded_file, "name", "") or "").lower()
    content = uploaded_file.read()
    if name.endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
            raise ValueError(_("The file is not a readable XLSX workbook.")) from error
        return [list(row) for row in workbook.active.iter_rows(values_only=True)]
    if name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValueError(_("The CSV file is not UTF-8 text.")) from error
        return list(csv.reader(io.StringIO(text)))
    raise ValueError(_("Upload the order export as an XLSX or CSV file."))


def _quantity(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return value if value > 0 else None
    text = str(value or "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else None


def read_orders_file(account: MarketplaceAccount, uploaded_file) -> dict[str, dict]:
    """{order id: {"status", "state", "lines": [(seller SKU, quantity)]}} of the file; a
    ValueError naming every bad row when any row is bad."""
    table = [row for row in _read_table(uploaded_file) if any(_normal(cell) for cell in row)]
    if not table:
        raise ValueError(_("The file is empty."))
    wanted = ORDER_COLUMNS[account.marketplace]
    header = [_normal(cell) for cell in table[0]]
    missing = [title for title in wanted.values() if _normal(title) not in header]
    if missing:
        raise ValueError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    position = {key: header.index(_normal(title)) for key, title in wanted.items()}
    orders, errors = {}, []
    for number, row in enumerate(table[1:], start=2):
        cells = {key: row[index] if index < len(row) else None for key, index in position.items()}
        order_id = str(cells["order_id"] or "").strip()
        sku = str(cells["sku"] or "").strip()
        quantity = _quantity(cells["quantity"])
        status = str(cells["status"] or "").strip()
        state = ORDER_STATES.get(_normal(status))
        if not order_id or not sku:
            errors.append(_("row %(row)d: no order number or SKU") % {"row": number})
        elif quantity is None:
            errors.append(
                _("row %(row)d: quantity “%(value)s” is not a whole number above 0")
                % {"row": number, "value": cells["quantity"]}
            )
        elif state is None:
            errors.append(
                _("row %(row)d: unknown status “%(value)s”") % {"row": number, "value": status}
            )
        else:
            order = orders.setdefault(order_id, {"status": status, "state": state, "lines": []})
            if order["state"] != state:
                errors.append(
                    _("row %(row)d: order %(order)s has two statuses")
                    % {"row": number, "order": order_id}
                )
            order["lines"].append((sku, quantity))
    if errors:
        raise ValueError("; ".join(errors))
    return orders


def _remote_skus(account: MarketplaceAccount, skus: set[str]) -> dict[str, tuple[str, str]]:
    """{seller SKU: (item id, sku id)} as the account's mappings know it; a SKU of one of the
    account's variants gets a mapping here (file shops have no listing to match against)."""
    mappings = VariantMapping.objects.filter(account=account)
    known = {
        seller_sku: (item_id, sku_id)
        for seller_sku, item_id, sku_id in mappings.filter(seller_sku__in=skus).values_list(
            "seller_sku", "item_id", "sku_id"
        )
    }
    variants = dict(variants_of(account).filter(sku__in=skus - set(known)).values_list("sku", "pk"))
    mapped = dict(
        mappings.filter(variant_id__in=variants.values()).values_list("variant_id", "item_id")
    )
    for sku, variant_id in variants.items():
        if variant_id not in mapped:
            VariantMapping.objects.create(
                account=account,
                variant_id=variant_id,
                item_id=sku,
                sku_id="",
                seller_sku=sku,
                matched_by=VariantMapping.MatchedBy.SKU,
                changed_at=timezone.now(),
            )
    known.update(
        {
            seller_sku: (item_id, sku_id)
            for seller_sku, item_id, sku_id in mappings.filter(
                variant_id__in=variants.values()
            ).values_list("variant__sku", "item_id", "sku_id")
        }
    )
    return known


@transaction.atomic
def import_orders_file(account: MarketplaceAccount, uploaded_file) -> list[MarketplaceOrder]:
    """Apply the marketplace's order export: open orders hold our stock, shipped ones take it,
    cancelled ones free it. Importing the same file again changes nothing; a bad file raises
    ValueError before anything is applied."""
    orders = read_orders_file(account, uploaded_file)
    remote_skus = _remote_skus(
        account, {sku for order in orders.values() for sku, _quantity in order["lines"]}
    )
    updated_at = int(time.time())  # their export has no update time: the file is the news
    remotes = []
    for order_id, order in orders.items():
        lines = []
        for sku, quantity in order["lines"]:
            item_id, sku_id = remote_skus.get(sku, (sku, ""))
            lines.append(RemoteOrderLine(item_id, sku_id, sku, quantity))
        remotes.append(
            RemoteOrder(order_id, order["status"], order["state"], updated_at, tuple(lines))
        )
    return apply_orders(account, remotes)
