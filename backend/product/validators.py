"""Input checks shared by the catalog services: prices and stock quantities (uploaded images:
backend.product.photos).

Each raises a Django ValidationError keyed by the input field, with Saleor's ProductErrorCode
value as `code`, so the API can answer `{field, code, message}` as it is.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from backend.core.money import MoneyPrecisionError, to_minor_units


def field_error(field: str, message: str, code: str, **params) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code, params=params or None)})


def clean_price(amount, currency: str, field: str) -> int | None:
    """Major-unit decimal → integer minor units; an amount finer than the currency allows
    (125000.5 VND) or negative is an `invalid_price` error."""
    if amount is None:
        return None
    try:
        minor = to_minor_units(amount, currency)
    except MoneyPrecisionError:
        raise field_error(
            field,
            _("Giá %(amount)s không hợp lệ với đơn vị tiền %(currency)s.")
            % {"amount": amount, "currency": currency},
            "invalid_price",
        ) from None
    if minor < 0:
        raise field_error(field, _("Giá không được âm."), "invalid_price")
    return minor


def clean_stock_quantity(quantity: int, field: str = "quantity") -> int:
    if quantity is None or quantity < 0:
        raise field_error(field, _("Số lượng tồn kho không được âm."), "invalid")
    return quantity
