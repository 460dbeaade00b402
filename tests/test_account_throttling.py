"""Guessing passwords is slowed down as in Saleor 3.23: after a wrong password the next
sign-in for that account from that address waits 1, 2, 4 … seconds, every 10 failures from
one address hold all its sign-ins, and password-reset and registration requests are capped —
all answered with LOGIN_ATTEMPT_DELAYED and the time to retry."""

import math
import re
import time

import pytest
from django.test import Client

from backend.account.models import User
from tests.fixtures.accounts import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_CREATE = """
mutation ($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) { token errors { field message code } }
}
"""
REGISTER = """
mutation ($input: AccountRegisterInput!) {
  accountRegister(input: $input) { errors { field message code } }
}
"""
RESET = """
mutation ($email: String!, $redirectUrl: String!) {
  requestPasswordReset(email: $email, channel: "vn", redirectUrl: $redirectUrl) {
    errors { field message code }
  }
}
"""
WRONG = "khong-phai-mat-khau"


def _post(query, variables, address="203.0.113.7", **headers):
    response = Client().post(
        "/graphql/",
        {"query": query, "variables": variables},
        content_type="application/json",
        REMOTE_ADDR=address,
        **headers,
    )
    return next(iter(response.json()["data"].values()))


def sign_in(email="khach@example.com", password=PASSWORD, address="203.0.113.7", **headers):
    return _post(TOKEN_CREATE, {"email": email, "password": password}, address, **headers)


def codes(result):
    return [error["code"] for error in result["errors"]]


def wait_seconds(result) -> int:
    (error,) = result["errors"]
    assert error["code"] == "LOGIN_ATTEMPT_DELAYED"
    assert error["field"] == "email"
    return int(re.search(r"sau (\d+) giây \(lúc \d\d:\d\d:\d\d\)", error["message"]).group(1))


def test_fifty_wrong_passwords_in_a_row_are_delayed(customer_user):
    started = time.monotonic()
    results = [codes(sign_in(password=WRONG)) for _ in range(50)]
    elapsed = time.monotonic() - started
    assert results[:2] == [["INVALID_CREDENTIALS"], ["LOGIN_ATTEMPT_DELAYED"]]
    assert set(map(tuple, results)) == {("INVALID_CREDENTIALS",), ("LOGIN_ATTEMPT_DELAYED",)}
    # Delays of 1, 2, 4 … seconds let through at most one guess per doubling of the time.
    checked = results.count(["INVALID_CREDENTIALS"])
    assert checked <= 1 + math.log2(elapsed + 1)
    # Even the right password waits out the delay.
    right = sign_in()
    assert right["token"] is None and wait_seconds(right) >= 1


def test_delays_grow_with_each_wrong_password(customer_user):
    assert codes(sign_in(password=WRONG)) == ["INVALID_CREDENTIALS"]
    assert wait_seconds(sign_in()) == 1
    time.sleep(1.05)
    assert codes(sign_in(password=WRONG)) == ["INVALID_CREDENTIALS"]
    assert wait_seconds(sign_in()) == 2
    time.sleep(2.05)
    assert codes(sign_in(password=WRONG)) == ["INVALID_CREDENTIALS"]
    assert wait_seconds(sign_in()) == 4
    # Another address is not held by this one's failures.
    assert sign_in(address="198.51.100.9")["token"]


def test_success_resets_the_account_count(customer_user):
    sign_in(password=WRONG)
    time.sleep(1.05)
    sign_in(password=WRONG)
    time.sleep(2.05)
    assert sign_in()["token"]
    sign_in(password=WRONG)
    assert wait_seconds(sign_in()) == 1


def test_many_accounts_from_one_address_hold_the_address(customer_user):
    for number in range(10):
        assert codes(sign_in(f"khach{number}@example.com", WRONG)) == ["INVALID_CREDENTIALS"]
    # A tenth failure from the address holds every account's sign-in from it…
    assert wait_seconds(sign_in()) == 1
    # …but not from elsewhere.
    assert sign_in(address="198.51.100.9")["token"]


def test_forwarded_address_counts_only_behind_a_trusted_proxy(customer_user, settings):
    spoofed = {"HTTP_X_FORWARDED_FOR": "192.0.2.1"}
    sign_in(password=WRONG, address="10.0.0.2", **spoofed)
    # Untrusted header: the connecting address is the one that failed.
    assert codes(sign_in(address="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.99")) == [
        "LOGIN_ATTEMPT_DELAYED"
    ]
    settings.TRUSTED_PROXY_COUNT = 1
    # Behind one trusted proxy each forwarded client is counted apart
    # (a client cannot pose as another by prepending addresses)…
    sign_in(password=WRONG, address="10.0.0.3", HTTP_X_FORWARDED_FOR="192.0.2.50")
    forged = {"HTTP_X_FORWARDED_FOR": "192.0.2.77, 192.0.2.50"}
    assert codes(sign_in(address="10.0.0.3", **forged)) == ["LOGIN_ATTEMPT_DELAYED"]
    assert sign_in(address="10.0.0.3", HTTP_X_FORWARDED_FOR="192.0.2.51")["token"]


def test_password_reset_requests_are_capped(customer_user, channel_vn, settings):
    settings.ALLOWED_CLIENT_HOSTS = ["shop.example"]
    variables = {"email": "khach@example.com", "redirectUrl": "https://shop.example/reset"}
    for _ in range(3):
        assert _post(RESET, variables)["errors"] == []
    assert wait_seconds(_post(RESET, variables)) > 3000
    # Other emails from the same address: capped at five requests (refused ones too) in 15
    # minutes.
    assert _post(RESET, {**variables, "email": "a@example.com"})["errors"] == []
    assert codes(_post(RESET, {**variables, "email": "c@example.com"})) == ["LOGIN_ATTEMPT_DELAYED"]
    assert _post(RESET, {**variables, "email": "c@example.com"}, "198.51.100.9")["errors"] == []


def test_registrations_from_one_address_are_capped(settings):
    settings.ALLOWED_CLIENT_HOSTS = ["shop.example"]

    def register(number, address="203.0.113.7"):
        data = {
            "email": f"moi{number}@example.com",
            "password": PASSWORD,
            "redirectUrl": "https://shop.example/confirm",
        }
        return _post(REGISTER, {"input": data}, address)

    for number in range(5):
        assert register(number)["errors"] == []
    assert codes(register(5)) == ["LOGIN_ATTEMPT_DELAYED"]
    assert not User.objects.filter(email="moi5@example.com").exists()
    assert register(5, "198.51.100.9")["errors"] == []


def test_admin_login_is_delayed_in_vietnamese(staff_user):
    client = Client(REMOTE_ADDR="203.0.113.7")
    form = {"username": staff_user.email, "password": WRONG, "next": "/admin/"}
    first = client.post("/admin/login/", form)
    assert first.status_code == 200 and "Bạn đã thử quá nhiều lần" not in first.content.decode()
    time.sleep(1.05)
    client.post("/admin/login/", form)
    second = client.post("/admin/login/", {**form, "password": PASSWORD})
    page = second.content.decode()
    assert second.status_code == 200
    assert re.search(r"Bạn đã thử quá nhiều lần. Hãy thử lại sau \d+ giây", page)
    assert "_auth_user_id" not in client.session
    time.sleep(2.05)
    assert client.post("/admin/login/", {**form, "password": PASSWORD}).status_code == 302


def test_the_delay_is_said_in_english_when_asked(customer_user):
    sign_in(password="sai-mat-khau", HTTP_ACCEPT_LANGUAGE="en")
    (error,) = sign_in(password="sai-mat-khau", HTTP_ACCEPT_LANGUAGE="en")["errors"]

    assert error["code"] == "LOGIN_ATTEMPT_DELAYED"
    assert re.fullmatch(
        r"Too many attempts\. Try again in \d+ seconds \(at \d\d:\d\d:\d\d\)\.", error["message"]
    )
