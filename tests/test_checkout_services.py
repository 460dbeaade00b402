"""Delivery options, completion checks and line changes (backend.shipping.services,
backend.checkout.validation and .lines) that the checkout API and the shop share."""

import pytest
from django.core.exceptions import ValidationError

from backend.account.models import Address
from backend.checkout.fetch import fetch_checkout_info
from backend.checkout.validation import validate_checkout_for_completion
from backend.shipping.services import applicable_shipping_methods, collection_points
from tests.fixtures.checkout import VN_ADDRESS

pytestmark = pytest.mark.django_db


def _names(checkout):
    return [method.name for method, _ in applicable_shipping_methods(fetch_checkout_info(checkout))]


def test_hanoi_light_parcel_gets_standard_and_express(checkout):
    assert _names(checkout) == ["Giao hàng tiêu chuẩn", "Giao hàng nhanh"]


def test_south_address_also_gets_the_cheaper_southern_method(checkout):
    address = Address.objects.create(
        **{**VN_ADDRESS, "city": "Phường Sài Gòn", "country_area": "Thành phố Hồ Chí Minh"}
    )
    checkout.shipping_address = address
    checkout.save()
    assert _names(checkout) == [
        "Giao hàng tiết kiệm miền Nam",
        "Giao hàng tiêu chuẩn",
        "Giao hàng nhanh",
    ]


def test_heavy_parcel_switches_weight_bracket(checkout):
    line = checkout.lines.get()
    line.quantity = 12  # 6 kg
    line.save()
    assert _names(checkout) == ["Giao hàng nhanh", "Giao hàng hàng nặng"]


def test_showroom_offered_only_with_enough_local_stock(checkout, showroom, showroom_stock):
    info = fetch_checkout_info(checkout)
    assert collection_points(info) == [showroom]
    line = checkout.lines.get()
    line.quantity = 4
    line.save()
    assert collection_points(fetch_checkout_info(checkout)) == []


def test_ready_checkout_validates(checkout):
    validate_checkout_for_completion(fetch_checkout_info(checkout))


def test_missing_email_is_reported(checkout):
    checkout.email = None
    checkout.save()
    with pytest.raises(ValidationError) as error:
        validate_checkout_for_completion(fetch_checkout_info(checkout))
    assert error.value.error_dict["email"][0].code == "email_not_set"


def test_update_lines_sets_quantities_and_creates_a_missing_line_once(checkout, make_product):
    from backend.checkout.lines import LineChange, update_lines

    tea = make_product("Chè Shan tuyết", "che-shan-tuyet", prices_vnd=(90_000,)).variants.get()
    update_lines(
        checkout,
        [
            LineChange(variant=tea, quantity=1, metadata={"goi": "qua"}),
            LineChange(variant=tea, quantity=3),
        ],
    )

    line = checkout.lines.get(variant=tea)
    assert (line.quantity, line.metadata) == (3, {"goi": "qua"})


def test_update_lines_refuses_a_line_of_another_checkout(checkout, channel_vn, variant):
    from backend.checkout.lines import LineChange, update_lines
    from backend.checkout.models import Checkout

    other = Checkout.objects.create(channel=channel_vn, currency="VND")
    stranger = other.lines.create(variant=variant, quantity=1)

    with pytest.raises(ValidationError) as error:
        update_lines(checkout, [LineChange(line_id=stranger.pk, quantity=5)])

    assert error.value.error_dict["line_id"][0].code == "not_found"
    stranger.refresh_from_db()
    assert stranger.quantity == 1
