"""Input checks shared by the catalog services: prices, stock quantities, uploaded images.

Each raises a Django ValidationError keyed by the input field, with Saleor's ProductErrorCode
value as `code`, so the API can answer `{field, code, message}` as it is.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from backend.core.money import MoneyPrecisionError, to_minor_units

ALLOWED_IMAGE_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})


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


def validate_image_upload(upload, field: str = "image") -> None:
    """A real JPEG/PNG/WebP/GIF no larger than settings.MAX_UPLOAD_IMAGE_BYTES."""
    if upload.size > settings.MAX_UPLOAD_IMAGE_BYTES:
        raise field_error(
            field,
            _("Ảnh quá lớn: tối đa %(limit)s byte.") % {"limit": settings.MAX_UPLOAD_IMAGE_BYTES},
            "invalid",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise field_error(field, _("Tệp tải lên không phải là ảnh hợp lệ."), "invalid") from None
    finally:
        upload.seek(0)
    if image_format not in ALLOWED_IMAGE_FORMATS:
        raise field_error(
            field,
            _("Định dạng ảnh không được hỗ trợ; chỉ nhận JPEG, PNG, WebP hoặc GIF."),
            "invalid",
        )
