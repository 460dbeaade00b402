"""What stops a checkout's lines from being ordered, as Saleor's `CheckoutLineProblem`s: a
variant no longer sold in the channel, or fewer units left than the line asks for."""

from dataclasses import dataclass

from backend.checkout.fetch import CheckoutInfo, CheckoutLineInfo


@dataclass(frozen=True)
class VariantNotAvailable:
    line_info: CheckoutLineInfo


@dataclass(frozen=True)
class InsufficientStock:
    line_info: CheckoutLineInfo
    available_quantity: int


def _is_sellable(line_info: CheckoutLineInfo) -> bool:
    return line_info.is_published and line_info.is_available_for_purchase


def line_problems(info: CheckoutInfo) -> list[VariantNotAvailable | InsufficientStock]:
    """One problem at most per line, in line order. The checkout's own stock holds count as
    available to it."""
    from backend.warehouse.availability import available_quantities

    checkout = info.checkout
    sellable = [line_info for line_info in info.lines if _is_sellable(line_info)]
    available = available_quantities(
        {line_info.variant.pk for line_info in sellable},
        checkout.channel,
        collection_point=checkout.collection_point,
        exclude_holder=checkout.stock_holder,
    )
    requested: dict[int, int] = {}
    for line_info in sellable:
        requested[line_info.variant.pk] = (
            requested.get(line_info.variant.pk, 0) + line_info.line.quantity
        )
    problems = []
    for line_info in info.lines:
        if not _is_sellable(line_info):
            problems.append(VariantNotAvailable(line_info))
        elif requested[line_info.variant.pk] > available[line_info.variant.pk]:
            problems.append(InsufficientStock(line_info, available[line_info.variant.pk]))
    return problems
