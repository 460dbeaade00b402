"""Money as integers in the currency's minor unit: đồng for VND (no decimals), cents for USD.

Amounts are never floats inside the system; `Money.amount` in GraphQL is derived from the integer
only at the edge, and input amounts are parsed from decimals with their precision checked.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision


class MoneyPrecisionError(ValueError):
    pass


def currency_exponent(currency: str) -> int:
    return get_currency_precision(currency)


def to_minor_units(amount, currency: str) -> int:
    """Convert a decimal amount (Decimal, str or int) into integer minor units.

    Raises MoneyPrecisionError when the amount has more decimals than the currency allows
    (e.g. 125000.5 VND) or is not a number.
    """
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError) as exc:
        raise MoneyPrecisionError(f"{amount!r} is not a valid amount") from exc
    if not value.is_finite():
        raise MoneyPrecisionError(f"{amount!r} is not a valid amount")
    scaled = value.scaleb(currency_exponent(currency))
    if scaled != scaled.to_integral_value():
        raise MoneyPrecisionError(
            f"{currency} amounts have at most {currency_exponent(currency)} decimal places"
        )
    return int(scaled)


def from_minor_units(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-currency_exponent(currency))


@dataclass(frozen=True, order=True)
class Money:
    minor: int
    currency: str

    @property
    def amount(self) -> Decimal:
        return from_minor_units(self.minor, self.currency)


def format_money(minor: int, currency: str, locale: str = "vi_VN") -> str:
    """Format for display: `125.000 ₫` in Vietnamese, `$12.50` in English."""
    return format_currency(from_minor_units(minor, currency), currency, locale=locale).replace(
        "\xa0", " "
    )
