"""The producer's marketplace shops: each account's sync status, one account's mapped SKUs with
the "retry" action for parked ones, the unmatched listings to map by hand or by SKU, and a
product's mappings per variant — a thin layer over integrations.marketplaces (status, sync,
listings, tasks). Accounts are looked up through the member's scope, so another producer's
account, mapping or listing answers 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from integrations.marketplaces import listings, tasks
from integrations.marketplaces.models import MarketplaceAccount, RemoteListing, VariantMapping
from integrations.marketplaces.status import account_statuses, lag_of, mapping_statuses
from storefront.portal.access import member_required
from storefront.portal.views_products import post_only, scoped_product

ACCOUNTS_PER_PAGE = 20
EXPORTS_SHOWN = 10
MAPPINGS_PER_PAGE = 30
LISTINGS_PER_PAGE = 20


def _accounts(request):
    return request.portal.scope.filter(MarketplaceAccount.objects.all()).order_by(
        "marketplace", "name", "pk"
    )


def _account(request, pk) -> MarketplaceAccount:
    """The member's account `pk`, or 404 (another producer's or the office's own shop)."""
    return get_object_or_404(_accounts(request).select_related("channel"), pk=pk)


def _with_lag(mappings) -> list[tuple[VariantMapping, object]]:
    return [(mapping, lag_of(mapping)) for mapping in mappings]


@member_required
def account_list(request):
    page = Paginator(_accounts(request), ACCOUNTS_PER_PAGE).get_page(request.GET.get("page"))
    statuses = account_statuses(page.object_list)
    return render(request, "portal/marketplaces.html", {"page": page, "statuses": statuses})


@member_required
def account_detail(request, pk):
    account = _account(request, pk)
    [status] = account_statuses(MarketplaceAccount.objects.filter(pk=account.pk))
    mappings = Paginator(mapping_statuses(account.mappings.all()), MAPPINGS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    unmatched = Paginator(
        listings.unmatched(account).order_by("name", "pk"), LISTINGS_PER_PAGE
    ).get_page(request.GET.get("listings"))
    variants = (
        listings.variants_of(account)
        .select_related("product")
        .order_by("product__name", "sku", "pk")
        .only("pk", "sku", "name", "product__name")
        if unmatched.object_list
        else []
    )
    return render(
        request,
        "portal/marketplaces_account.html",
        {
            "account": account,
            "status": status,
            "mappings": mappings,
            "rows": _with_lag(mappings.object_list),
            "unmatched": unmatched,
            "variants": variants,
            "exports": [] if account.pushes else account.exports.all()[:EXPORTS_SHOWN],
        },
    )


def _queue_push(account: MarketplaceAccount) -> None:
    tasks.queue(tasks.push_account_stock, account.pk)


@member_required
def retry_parked(request, pk, mapping_pk=None):
    """Make the account's parked SKUs (one, or all without `mapping_pk`) due again now."""
    account = _account(request, pk)
    mappings = account.mappings.all()
    if mapping_pk is not None:
        mappings = mappings.filter(pk=get_object_or_404(mappings, pk=mapping_pk).pk)
    if response := post_only(request):
        return response
    retried = tasks.send_parked_again(mappings)
    if retried:
        messages.success(request, _("Sent again: %(count)d SKU(s).") % {"count": retried})
    else:
        messages.info(request, _("No stopped SKUs to send again."))
    return redirect("portal:marketplace", pk=account.pk)


@member_required
def map_listing(request, pk, listing_pk):
    """Map one unmatched listing of the account to one of the producer's variants."""
    account = _account(request, pk)
    listing = get_object_or_404(RemoteListing.objects.filter(account=account), pk=listing_pk)
    if response := post_only(request):
        return response
    variant_id = request.POST.get("variant", "")
    if not variant_id.isdigit():
        messages.error(request, _("Choose one of your variants for this listing."))
        return redirect("portal:marketplace", pk=account.pk)
    try:
        listings.map_by_hand(account, int(variant_id), listing)
    except listings.MappingError:
        messages.error(
            request,
            _(
                "Could not map “%(listing)s”: choose one of your own variants, and a marketplace "
                "SKU that is not mapped to another variant yet. Nothing was changed."
            )
            % {"listing": listing.name or listing.seller_sku or listing.item_id},
        )
        return redirect("portal:marketplace", pk=account.pk)
    if account.pushes and account.enabled:
        _queue_push(account)
    messages.success(request, _("Mapped; its stock will be sent to the marketplace."))
    return redirect("portal:marketplace", pk=account.pk)


@member_required
def match_by_sku(request, pk):
    account = _account(request, pk)
    if response := post_only(request):
        return response
    matched = listings.match_by_sku(account)
    if matched and account.pushes and account.enabled:
        _queue_push(account)
    messages.success(request, _("Matched by SKU: %(count)d listing(s).") % {"count": matched})
    return redirect("portal:marketplace", pk=account.pk)


@member_required
def product_marketplaces(request, pk):
    """Each variant of the product in each of the producer's shops: mapped or not, and how its
    stock sync stands."""
    product = scoped_product(request, pk)
    accounts = list(_accounts(request))
    variants = list(product.variants.order_by("sort_order", "pk"))
    mappings = {
        (mapping.variant_id, mapping.account_id): mapping
        for mapping in mapping_statuses(
            VariantMapping.objects.filter(account__in=accounts, variant__product=product)
        )
    }
    rows = [
        (
            variant,
            [
                (account, mapping, lag_of(mapping) if mapping else None)
                for account in accounts
                for mapping in [mappings.get((variant.pk, account.pk))]
            ],
        )
        for variant in variants
    ]
    return render(
        request,
        "portal/marketplaces_product.html",
        {"product": product, "accounts": accounts, "rows": rows},
    )
