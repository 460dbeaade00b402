"""Accounts in the web shop with the Django test client: sign up with the confirmation email,
sign in and out, password reset, order history and detail with tracking, the address book
(province → ward), and signing up from a guest order's page."""

import re
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from backend.account.addresses import find_province
from backend.account.models import Address, User
from backend.demo.customers import CUSTOMER_EMAIL, CUSTOMER_PASSWORD, TRACKING_NUMBER
from backend.order.actions import fulfill_order
from backend.order.models import Carrier, Order
from tests.fixtures.accounts import PASSWORD
from tests.order_factory import create_order

pytestmark = pytest.mark.django_db

HA_NOI = find_province("Hà Nội")
BA_DINH = HA_NOI.find_ward("Phường Ba Đình")
DA_NANG = find_province("Đà Nẵng")
HAI_CHAU = DA_NANG.find_ward("Phường Hải Châu")
ADDRESS = {
    "first_name": "Lan",
    "last_name": "Nguyễn",
    "street_address_1": "12 Phan Đình Phùng",
    "city": "Phường Ba Đình",
    "country_area": "Thành phố Hà Nội",
    "country": "VN",
    "phone": "+84912345678",
}


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def emailed_link(message) -> str:
    url = re.search(r"https?://\S+", message.body).group(0)
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post("/tai-khoan/dang-nhap/", {"email": email, "password": password, **extra})


@pytest.fixture
def signed_in(client, customer_user):
    client.force_login(customer_user)
    return client


# --- Sign up, confirmation, sign in and out ------------------------------------------------


def test_sign_up_emails_a_confirmation_link_that_lets_the_buyer_sign_in(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/tai-khoan/dang-ky/",
            {"email": "Mai@Example.com", "first_name": "Mai", "password": PASSWORD},
            follow=True,
        )

    assert response.redirect_chain[-1][0] == "/tai-khoan/kiem-tra-email/"
    assert "mai@example.com" in text(response)
    user = User.objects.get(email="mai@example.com")
    assert not user.is_confirmed
    assert sign_in(client, "mai@example.com").status_code == 400

    [message] = mailoutbox
    link = emailed_link(message)
    assert link.startswith("/tai-khoan/xac-nhan/?")
    assert client.get(link).status_code == 200
    user.refresh_from_db()
    assert user.is_confirmed

    response = sign_in(client, "mai@example.com", next="/tai-khoan/dia-chi/")
    assert response.status_code == 302
    assert response["Location"] == "/tai-khoan/dia-chi/"
    assert client.get("/tai-khoan/").status_code == 200


def test_an_email_already_registered_gets_the_same_answer_and_changes_nothing(
    client, customer_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/tai-khoan/dang-ky/", {"email": customer_user.email, "password": "Khac-hoan-toan-9"}
        )

    assert response.status_code == 302
    assert response["Location"] == "/tai-khoan/kiem-tra-email/"
    assert mailoutbox == []
    customer_user.refresh_from_db()
    assert customer_user.check_password(PASSWORD)


def test_sign_up_errors_are_shown_next_to_the_fields_and_nothing_is_created(client):
    response = client.post("/tai-khoan/dang-ky/", {"email": "khong-phai-email", "password": "123"})

    assert response.status_code == 400
    body = text(response)
    assert 'id="email-error"' in body
    assert 'id="password-error"' in body
    assert not User.objects.exists()


def test_sign_up_is_limited_like_the_api(client, mailoutbox):
    for index in range(3):
        client.post("/tai-khoan/dang-ky/", {"email": f"a{index}@example.com", "password": "123"})
    client.post("/tai-khoan/dang-ky/", {"email": "b@example.com", "password": "123"})
    client.post("/tai-khoan/dang-ky/", {"email": "c@example.com", "password": "123"})

    response = client.post("/tai-khoan/dang-ky/", {"email": "d@example.com", "password": PASSWORD})

    assert response.status_code == 400
    assert "Bạn đã thử quá nhiều lần" in text(response)
    assert not User.objects.filter(email="d@example.com").exists()


def test_a_wrong_password_is_refused_then_delayed(client, customer_user):
    response = sign_in(client, customer_user.email, "sai-mat-khau")
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session

    response = sign_in(client, customer_user.email, PASSWORD)
    assert response.status_code == 400
    assert "Bạn đã thử quá nhiều lần" in text(response)
    assert "_auth_user_id" not in client.session


def test_an_unconfirmed_account_is_told_so_and_can_ask_for_the_link_again(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    User.objects.create_user("moi@example.com", PASSWORD, is_confirmed=False)

    response = sign_in(client, "moi@example.com")

    assert response.status_code == 400
    assert 'action="/tai-khoan/xac-nhan/gui-lai/"' in text(response)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/tai-khoan/xac-nhan/gui-lai/", {"email": "moi@example.com"})
    assert response["Location"] == "/tai-khoan/kiem-tra-email/"
    [message] = mailoutbox
    assert client.get(emailed_link(message)).status_code == 200
    assert sign_in(client, "moi@example.com").status_code == 302


def test_next_outside_the_site_is_ignored(client, customer_user):
    response = sign_in(client, customer_user.email, next="https://lua-dao.example.net/")

    assert response["Location"] == "/tai-khoan/"


def test_sign_out_needs_a_post(signed_in):
    assert signed_in.get("/tai-khoan/dang-xuat/").status_code == 405
    assert "_auth_user_id" in signed_in.session

    response = signed_in.post("/tai-khoan/dang-xuat/")

    assert response["Location"] == "/"
    assert "_auth_user_id" not in signed_in.session


def test_sign_out_without_the_csrf_token_is_refused(customer_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(customer_user)

    assert client.post("/tai-khoan/dang-xuat/").status_code == 403
    assert "_auth_user_id" in client.session


def test_the_header_links_to_sign_in_or_to_the_account(client, customer_user):
    assert 'class="account-link" href="/tai-khoan/dang-nhap/"' in text(client.get("/"))
    client.force_login(customer_user)
    assert 'class="account-link" href="/tai-khoan/"' in text(client.get("/"))


# --- Password reset -----------------------------------------------------------------------


def test_password_reset_round_trip_signs_the_buyer_in(
    client, customer_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/tai-khoan/quen-mat-khau/", {"email": customer_user.email})
    assert response["Location"] == "/tai-khoan/kiem-tra-email/"
    [message] = mailoutbox
    link = emailed_link(message)
    assert link.startswith("/tai-khoan/dat-mat-khau/?")

    response = client.get(link)
    assert response["Location"] == "/tai-khoan/dat-mat-khau/"
    page = client.get("/tai-khoan/dat-mat-khau/")
    assert page.status_code == 200
    assert link.rsplit("token=", 1)[1] not in text(page)
    assert client.post("/tai-khoan/dat-mat-khau/", {"password": "123"}).status_code == 400

    response = client.post("/tai-khoan/dat-mat-khau/", {"password": "Mat-khau-moi-2026"})

    assert response["Location"] == "/tai-khoan/"
    assert client.session["_auth_user_id"] == str(customer_user.pk)
    customer_user.refresh_from_db()
    assert customer_user.check_password("Mat-khau-moi-2026")
    client.post("/tai-khoan/dang-xuat/")
    client.get(link)
    reused = client.post("/tai-khoan/dat-mat-khau/", {"password": "Lan-nua-2026-x"})
    assert reused.status_code == 400
    customer_user.refresh_from_db()
    assert customer_user.check_password("Mat-khau-moi-2026")


def test_password_reset_answers_the_same_for_an_unknown_email(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/tai-khoan/quen-mat-khau/", {"email": "ai-do@example.com"})

    assert response["Location"] == "/tai-khoan/kiem-tra-email/"
    assert mailoutbox == []


# --- Orders --------------------------------------------------------------------------------


def test_order_history_lists_only_the_buyers_orders_newest_first_in_bounded_queries(
    signed_in, customer_user, channel_vn, variant, django_assert_max_num_queries
):
    other = User.objects.create_user("nguoi-khac@example.com", PASSWORD)
    theirs = create_order(channel_vn, [(variant, 1)], user=other, allocate=False)
    mine = [
        create_order(channel_vn, [(variant, 2)], user=customer_user, allocate=False)
        for _ in range(12)
    ]

    with django_assert_max_num_queries(8):
        response = signed_in.get("/tai-khoan/")

    body = text(response)
    numbers = [int(n) for n in re.findall(r'href="/tai-khoan/don-hang/(\d+)/"', body)]
    assert numbers == [order.number for order in reversed(mine)][:10]
    assert theirs.number not in numbers
    assert "280.000 ₫" in body  # 2 × 125.000 ₫ + 30.000 ₫ delivery
    assert "2 sản phẩm" in body
    with django_assert_max_num_queries(8):
        second = signed_in.get("/tai-khoan/?page=2")
    assert re.findall(r'href="/tai-khoan/don-hang/(\d+)/"', text(second)) == [
        str(order.number) for order in reversed(mine[:2])
    ]


def test_the_account_pages_need_a_signed_in_buyer(client):
    response = client.get("/tai-khoan/")

    assert response.status_code == 302
    assert response["Location"] == "/tai-khoan/dang-nhap/?next=/tai-khoan/"


def test_order_detail_shows_tracking_and_history_and_hides_other_buyers_orders(
    signed_in, customer_user, channel_vn, variant
):
    order = create_order(channel_vn, [(variant, 2)], user=customer_user, address_data=ADDRESS)
    line = order.lines.get()
    fulfill_order(order, [(line, 2)], user=None, tracking_number="GHN123456VN", carrier=Carrier.GHN)
    other = User.objects.create_user("nguoi-khac@example.com", PASSWORD)
    theirs = create_order(channel_vn, [(variant, 1)], user=other, allocate=False)

    response = signed_in.get(f"/tai-khoan/don-hang/{order.number}/")

    body = text(response)
    assert response.status_code == 200
    assert body.count("<h1") == 1
    assert "GHN123456VN" in body
    assert "GHN (Giao Hàng Nhanh)" in body
    assert "12 Phan Đình Phùng, Phường Ba Đình, Thành phố Hà Nội" in body
    assert "Nước mắm Phú Quốc" in body
    assert 'class="timeline"' in body
    assert signed_in.get(f"/tai-khoan/don-hang/{theirs.number}/").status_code == 404


# --- Addresses -----------------------------------------------------------------------------


def address_form(**changes):
    form = {
        "action": "save",
        "full_name": "Nguyễn Thị Lan",
        "phone": "0912 345 678",
        "province": HA_NOI.code,
        "ward": BA_DINH.code,
        "street": "12 Phan Đình Phùng",
    }
    form.update(changes)
    return form


def test_adding_an_address_saves_it_with_official_names_as_the_default(signed_in, customer_user):
    response = signed_in.post("/tai-khoan/dia-chi/them/", address_form())

    assert response["Location"] == "/tai-khoan/dia-chi/"
    address = customer_user.addresses.get()
    assert (address.last_name, address.first_name) == ("Nguyễn", "Thị Lan")
    assert (address.city, address.country_area) == ("Phường Ba Đình", "Thành phố Hà Nội")
    assert address.phone == "+84912345678"
    customer_user.refresh_from_db()
    assert customer_user.default_shipping_address == address
    assert "12 Phan Đình Phùng" in text(signed_in.get("/tai-khoan/dia-chi/"))


def test_a_ward_of_another_province_is_refused_and_nothing_is_saved(signed_in, customer_user):
    response = signed_in.post("/tai-khoan/dia-chi/them/", address_form(ward=HAI_CHAU.code))

    assert response.status_code == 400
    body = text(response)
    assert 'id="ward-error"' in body
    assert "Thành phố Hà Nội" in body
    assert not Address.objects.exists()


def test_without_javascript_choosing_the_province_lists_its_wards(signed_in):
    response = signed_in.post(
        "/tai-khoan/dia-chi/them/", address_form(action="refresh", province=DA_NANG.code, ward="")
    )

    body = text(response)
    assert f'<option value="{HAI_CHAU.code}">{HAI_CHAU.name}</option>' in body
    assert BA_DINH.name not in body
    assert not Address.objects.exists()


def test_the_ward_list_endpoint_answers_a_provinces_wards(client):
    wards = client.get(f"/tai-khoan/dia-chi/phuong-xa/?province={DA_NANG.code}").json()["wards"]

    assert {"code": HAI_CHAU.code, "name": HAI_CHAU.name} in wards
    assert len(wards) == len(DA_NANG.wards)
    assert client.get("/tai-khoan/dia-chi/phuong-xa/?province=xx").json() == {"wards": []}


def test_editing_deleting_and_choosing_defaults(signed_in, customer_user):
    signed_in.post("/tai-khoan/dia-chi/them/", address_form())
    signed_in.post(
        "/tai-khoan/dia-chi/them/",
        address_form(province=DA_NANG.code, ward=HAI_CHAU.code, street="8 Trần Phú"),
    )
    home, work = customer_user.addresses.order_by("pk")

    form = signed_in.get(f"/tai-khoan/dia-chi/{home.pk}/sua/")
    assert f'<option value="{BA_DINH.code}" selected>' in text(form)
    response = signed_in.post(
        f"/tai-khoan/dia-chi/{home.pk}/sua/", address_form(street="99 Kim Mã")
    )
    assert response["Location"] == "/tai-khoan/dia-chi/"
    home.refresh_from_db()
    assert home.street_address_1 == "99 Kim Mã"

    refused = signed_in.post(
        f"/tai-khoan/dia-chi/{home.pk}/sua/", address_form(street="", ward=HAI_CHAU.code)
    )
    assert refused.status_code == 400
    home.refresh_from_db()
    assert (home.street_address_1, home.city) == ("99 Kim Mã", "Phường Ba Đình")

    signed_in.post(f"/tai-khoan/dia-chi/{work.pk}/mac-dinh/", {"type": "shipping"})
    customer_user.refresh_from_db()
    assert customer_user.default_shipping_address == work
    assert customer_user.default_billing_address == home

    signed_in.post(f"/tai-khoan/dia-chi/{work.pk}/xoa/")
    assert list(customer_user.addresses.all()) == [home]


def test_another_buyers_address_is_not_found(signed_in):
    other = User.objects.create_user("nguoi-khac@example.com", PASSWORD)
    theirs = Address.objects.create(**ADDRESS)
    other.addresses.add(theirs)

    assert signed_in.get(f"/tai-khoan/dia-chi/{theirs.pk}/sua/").status_code == 404
    assert signed_in.post(f"/tai-khoan/dia-chi/{theirs.pk}/xoa/").status_code == 404
    assert Address.objects.filter(pk=theirs.pk).exists()


# --- Sign up from the order page ------------------------------------------------------------


def test_signing_up_from_the_guest_order_page_gives_the_account_the_order(
    client, channel_vn, variant, mailoutbox, django_capture_on_commit_callbacks
):
    order = create_order(channel_vn, [(variant, 1)], email="Khach.Le@example.com", allocate=False)
    page = text(client.get(f"/don-hang/{order.token}/"))
    assert 'class="order-sign-up"' in page
    assert 'value="Khach.Le@example.com"' in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/tai-khoan/dang-ky/", {"email": "Khach.Le@example.com", "password": PASSWORD})
    order.refresh_from_db()
    assert order.user is None  # not before the buyer proves the address is theirs

    [message] = mailoutbox
    client.get(emailed_link(message))
    order.refresh_from_db()
    assert order.user == User.objects.get(email="khach.le@example.com")

    sign_in(client, "khach.le@example.com")
    history = text(client.get("/tai-khoan/"))
    assert f'href="/tai-khoan/don-hang/{order.number}/"' in history
    assert 'class="order-sign-up"' not in text(client.get(f"/don-hang/{order.token}/"))


def test_without_confirmation_the_guest_orders_join_the_new_account_at_once(
    client, channel_vn, variant, settings
):
    settings.ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL = False
    order = create_order(channel_vn, [(variant, 1)], email="khach.le@example.com", allocate=False)

    client.post("/tai-khoan/dang-ky/", {"email": "khach.le@example.com", "password": PASSWORD})

    assert Order.objects.get(pk=order.pk).user.email == "khach.le@example.com"


def test_a_signed_in_buyer_checks_out_from_their_saved_address_and_owns_the_order(
    client, customer_user, variant, shipping_zones
):
    home = Address.objects.create(**ADDRESS)
    customer_user.addresses.add(home)
    customer_user.default_shipping_address = home
    customer_user.save()
    client.force_login(customer_user)
    client.post("/gio-hang/them/", {"variant": variant.pk, "quantity": 1})

    page = text(client.get("/thanh-toan/"))

    assert 'value="khach@example.com"' in page
    assert f'<option value="{BA_DINH.code}" selected>' in page
    response = client.post(
        "/thanh-toan/",
        {
            "action": "place",
            "email": "khach@example.com",
            "full_name": "Nguyễn Lan",
            "phone": "0912345678",
            "province": HA_NOI.code,
            "ward": BA_DINH.code,
            "street": "12 Phan Đình Phùng",
            "delivery": f"shipping:{shipping_zones['standard'].pk}",
            "gateway": "ocop.payments.cod",
            "promo_code": "",
        },
    )
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.user == customer_user
    assert f'href="/tai-khoan/don-hang/{order.number}/"' in text(client.get("/tai-khoan/"))


# --- Demo ----------------------------------------------------------------------------------


def test_the_demo_customer_signs_in_to_addresses_and_a_tracked_order(client):
    output = StringIO()
    call_command("populatedb", stdout=output)
    call_command("populatedb", stdout=StringIO())
    assert f"{CUSTOMER_EMAIL} / {CUSTOMER_PASSWORD}" in output.getvalue()
    customer = User.objects.get(email=CUSTOMER_EMAIL)
    assert customer.addresses.count() == 2
    assert Order.objects.filter(user=customer).count() == 3

    assert sign_in(client, CUSTOMER_EMAIL, CUSTOMER_PASSWORD).status_code == 302
    history = text(client.get("/tai-khoan/"))
    shipped = Order.objects.get(user=customer, fulfillments__tracking_number=TRACKING_NUMBER)
    assert f'href="/tai-khoan/don-hang/{shipped.number}/"' in history
    assert TRACKING_NUMBER in text(client.get(f"/tai-khoan/don-hang/{shipped.number}/"))
    assert "Phường Hải Châu" in text(client.get("/tai-khoan/dia-chi/"))
