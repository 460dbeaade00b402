"""What a shop lists, and our variants matched to it: by seller SKU, or by hand in the portal
or the admin; whatever is left is the unmatched list. Reconciliation reads the same listing to
compare their stock with ours and repairs what drifted by pushing it again."""

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from backend.product.models import ProductVariant
from backend.warehouse.availability import available_quantities
from integrations.marketplaces.base import RemoteSku
from integrations.marketplaces.connection import session
from integrations.marketplaces.models import (
    MarketplaceAccount,
    ReconciliationRun,
    RemoteListing,
    VariantMapping,
)
from integrations.marketplaces.sync import mark_stock_changed, sellable


class MappingError(ValueError):
    """A mapping the account may not make (another producer's variant, a SKU mapped twice)."""


@transaction.atomic
def store_listings(account: MarketplaceAccount, skus: list[RemoteSku]) -> None:
    now = timezone.now()
    RemoteListing.objects.bulk_create(
        [
            RemoteListing(
                account=account,
                item_id=sku.item_id,
                sku_id=sku.sku_id,
                seller_sku=sku.seller_sku,
                name=sku.name[:255],
                quantity=sku.quantity,
                price=sku.price,
                seen_at=now,
            )
            for sku in skus
        ],
        update_conflicts=True,
        unique_fields=["account", "item_id", "sku_id"],
        update_fields=["seller_sku", "name", "quantity", "price", "seen_at"],
        batch_size=1000,
    )
    RemoteListing.objects.filter(account=account, seen_at__lt=now).delete()


def variants_of(account: MarketplaceAccount):
    """The variants this shop may sell: its producer's, or any for the office's own shop."""
    variants = ProductVariant.objects.all()
    if account.producer_id:
        variants = variants.filter(product__producer_id=account.producer_id)
    return variants


def without_mapping(listings):
    """The listings of `listings` (any accounts) no mapping of their account points at."""
    mapped = VariantMapping.objects.filter(
        account=OuterRef("account"), item_id=OuterRef("item_id"), sku_id=OuterRef("sku_id")
    )
    return listings.exclude(Exists(mapped))


def unmatched(account: MarketplaceAccount):
    return without_mapping(RemoteListing.objects.filter(account=account))


@transaction.atomic
def match_by_sku(account: MarketplaceAccount) -> int:
    """Map each unmatched listing whose seller SKU is one of our (unmapped) variants' SKUs."""
    listings = {listing.seller_sku: listing for listing in unmatched(account) if listing.seller_sku}
    variants = (
        variants_of(account)
        .filter(sku__in=listings)
        .exclude(marketplace_mappings__account=account)
        .values_list("pk", "sku")
    )
    created = VariantMapping.objects.bulk_create(
        [
            VariantMapping(
                account=account,
                variant_id=variant_id,
                item_id=listings[sku].item_id,
                sku_id=listings[sku].sku_id,
                seller_sku=sku,
                matched_by=VariantMapping.MatchedBy.SKU,
                changed_at=timezone.now(),
            )
            for variant_id, sku in variants
        ]
    )
    return len(created)


@transaction.atomic
def map_by_hand(account: MarketplaceAccount, variant_id: int, listing: RemoteListing):
    """Map a variant to a listed SKU, replacing the variant's earlier mapping in this shop."""
    if listing.account_id != account.pk:
        raise MappingError("listing of another shop")
    if not variants_of(account).filter(pk=variant_id).exists():
        raise MappingError("variant of another producer")
    taken = VariantMapping.objects.filter(
        account=account, item_id=listing.item_id, sku_id=listing.sku_id
    ).exclude(variant_id=variant_id)
    if taken.exists():
        raise MappingError("this marketplace SKU is mapped to another variant")
    mapping, _ = VariantMapping.objects.update_or_create(
        account=account,
        variant_id=variant_id,
        defaults={
            "item_id": listing.item_id,
            "sku_id": listing.sku_id,
            "seller_sku": listing.seller_sku,
            "matched_by": VariantMapping.MatchedBy.HAND,
            "pushed_version": 0,
            "changed_at": timezone.now(),
        },
    )
    return mapping


def reconcile(account: MarketplaceAccount) -> ReconciliationRun:
    """Read the shop's listing, match new SKUs, and compare their stock with what they should
    show; every drifted SKU not already waiting for a push is pushed again."""
    run = ReconciliationRun(account=account)
    try:
        with session(account, wait=30) as shop:
            skus = shop.adapter.list_skus()
    except Exception as error:  # the report says why this run saw nothing
        run.error = str(error)[:1000]
        run.save()
        raise
    store_listings(account, skus)
    match_by_sku(account)
    theirs = {(sku.item_id, sku.sku_id): sku.quantity for sku in skus}
    settled = list(
        VariantMapping.objects.filter(account=account)
        .filter(stock_version=F("pushed_version"))
        .select_related("variant")
    )
    available = available_quantities({m.variant_id for m in settled}, account.channel_id)
    drifted = []
    for mapping in settled:
        ours = sellable(mapping.variant, available, account.safety_buffer)
        listed = theirs.get((mapping.item_id, mapping.sku_id))
        if listed is not None and listed != ours:
            drifted.append((mapping, ours, listed))
    mark_stock_changed(VariantMapping.objects.filter(pk__in=[m.pk for m, _o, _t in drifted]))
    run.checked = len(settled)
    run.drifted = len(drifted)
    run.drifts = [
        {"variant_id": m.variant_id, "sku": m.seller_sku, "ours": ours, "theirs": listed}
        for m, ours, listed in drifted[:500]
    ]
    run.save()
    return run
