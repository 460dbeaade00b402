"""Registration with email confirmation, password reset and change, profile update and account
deletion, as the storefront sends them."""

import re

import pytest

from backend.account.models import User
from tests.fixtures.accounts import PASSWORD

pytestmark = pytest.mark.django_db

REDIRECT = "http://127.0.0.1:8000/tai-khoan/xac-nhan/"
REGISTER = """
mutation AccountRegister($input: AccountRegisterInput!) {
  accountRegister(input: $input) {
    requiresConfirmation
    user { id email }
    errors { field message code }
  }
}
"""
CONFIRM = """
mutation ConfirmAccount($email: String!, $token: String!) {
  confirmAccount(email: $email, token: $token) { user { email isConfirmed } errors { field code } }
}
"""
TOKEN_CREATE = """
mutation tokenCreate($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) { token errors { code } }
}
"""
RESET = """
mutation RequestPasswordReset($email: String!, $channel: String!, $redirectUrl: String!) {
  requestPasswordReset(email: $email, channel: $channel, redirectUrl: $redirectUrl) {
    errors { field message code }
  }
}
"""
SET_PASSWORD = """
mutation passwordReset($email: String!, $password: String!, $token: String!) {
  setPassword(email: $email, password: $password, token: $token) {
    token refreshToken user { email } errors { field code }
  }
}
"""
PASSWORD_CHANGE = """
mutation PasswordChange($newPassword: String!, $oldPassword: String!) {
  passwordChange(newPassword: $newPassword, oldPassword: $oldPassword) {
    errors { field message code }
  }
}
"""


@pytest.fixture
def vn_channel(db):
    from backend.channel.models import Channel

    return Channel.objects.create(name="Việt Nam", slug="vn", currency_code="VND")


def register(api_client, **overrides):
    data = {"email": "moi@example.com", "password": PASSWORD, "redirectUrl": REDIRECT}
    data.update(overrides)
    return api_client.execute(REGISTER, {"input": data})["data"]["accountRegister"]


def token_from(mail) -> str:
    return re.search(r"token=([\w-]+)", mail.body).group(1)


def test_register_confirm_then_sign_in(api_client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = register(api_client, firstName="Mai")
    assert result["errors"] == []
    assert result["requiresConfirmation"] is True
    assert result["user"] == {"id": "", "email": "moi@example.com"}
    assert User.objects.get(email="moi@example.com").first_name == "Mai"

    signed_in = api_client.execute(TOKEN_CREATE, {"email": "moi@example.com", "password": PASSWORD})
    assert signed_in["data"]["tokenCreate"]["errors"] == [{"code": "ACCOUNT_NOT_CONFIRMED"}]

    (mail,) = mailoutbox
    assert mail.to == ["moi@example.com"]
    assert "Xác nhận tài khoản" in mail.subject
    assert REDIRECT + "?email=moi%40example.com&token=" in mail.body
    confirmed = api_client.execute(CONFIRM, {"email": "moi@example.com", "token": token_from(mail)})
    assert confirmed["data"]["confirmAccount"] == {
        "user": {"email": "moi@example.com", "isConfirmed": True},
        "errors": [],
    }
    signed_in = api_client.execute(TOKEN_CREATE, {"email": "moi@example.com", "password": PASSWORD})
    assert signed_in["data"]["tokenCreate"]["token"]


def test_confirm_with_a_wrong_token_or_email(api_client, customer_user):
    wrong_token = api_client.execute(CONFIRM, {"email": customer_user.email, "token": "abc-def"})
    assert wrong_token["data"]["confirmAccount"]["errors"] == [
        {"field": "token", "code": "INVALID"}
    ]
    no_user = api_client.execute(CONFIRM, {"email": "khong-co@example.com", "token": "abc-def"})
    assert no_user["data"]["confirmAccount"]["errors"] == [{"field": "email", "code": "NOT_FOUND"}]


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Ab1!", "PASSWORD_TOO_SHORT"),
        ("password123", "PASSWORD_TOO_COMMON"),
        ("83749201563", "PASSWORD_ENTIRELY_NUMERIC"),
        ("moi@example.com", "PASSWORD_TOO_SIMILAR"),
    ],
)
def test_weak_passwords_are_refused(api_client, mailoutbox, password, code):
    result = register(api_client, password=password)
    assert {"field": "password", "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in result["errors"]
    ]
    assert not User.objects.filter(email="moi@example.com").exists()
    assert mailoutbox == []


def test_redirect_url_must_be_an_allowed_host(api_client, settings):
    result = register(api_client, redirectUrl="https://lua-dao.example/confirm")
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("redirectUrl", "INVALID")]
    settings.ALLOWED_CLIENT_HOSTS = ["lua-dao.example"]
    assert register(api_client, redirectUrl="https://lua-dao.example/confirm")["errors"] == []


def test_redirect_url_hosts_are_patterns_as_saleor_reads_them(api_client, settings):
    settings.ALLOWED_CLIENT_HOSTS = [".lua-dao.example"]
    assert register(api_client, redirectUrl="https://shop.lua-dao.example/xac-nhan")["errors"] == []
    refused = register(
        api_client, email="khac@example.com", redirectUrl="https://gia-lua-dao.example/xac-nhan"
    )
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("redirectUrl", "INVALID")]


def test_without_redirect_url_the_link_opens_the_shops_confirmation_page(
    api_client, client, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.PUBLIC_URL = "https://ocop.example.vn"
    with django_capture_on_commit_callbacks(execute=True):
        result = register(api_client, redirectUrl=None)
    assert result["errors"] == []
    (mail,) = mailoutbox
    link = re.search(r"https://ocop\.example\.vn(/tai-khoan/xac-nhan/\?email=\S+)", mail.body)
    assert link, mail.body

    page = client.get(link.group(1))

    assert page.status_code == 200
    assert "Tài khoản của bạn đã được xác nhận." in page.content.decode()
    assert User.objects.get(email="moi@example.com").is_confirmed
    signed_in = api_client.execute(TOKEN_CREATE, {"email": "moi@example.com", "password": PASSWORD})
    assert signed_in["data"]["tokenCreate"]["token"]
    # The link is used up once the account is confirmed.
    again = client.get(link.group(1))
    assert again.status_code == 400
    assert "Liên kết xác nhận không hợp lệ hoặc đã hết hạn." in again.content.decode()


@pytest.mark.parametrize(
    "query",
    ["", "?email=moi%40example.com", "?email=moi%40example.com&token=abc-def", "?token=abc-def"],
)
def test_a_bad_confirmation_link_confirms_nothing(api_client, client, query):
    register(api_client, redirectUrl=None)
    page = client.get(f"/tai-khoan/xac-nhan/{query}")
    assert page.status_code == 400
    assert "Liên kết xác nhận không hợp lệ hoặc đã hết hạn." in page.content.decode()
    assert not User.objects.get(email="moi@example.com").is_confirmed


def test_invalid_email_is_refused(api_client):
    result = register(api_client, email="khong-phai-email")
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("email", "INVALID")]


def test_registering_an_existing_email_changes_nothing_and_reveals_nothing(
    api_client, customer_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = register(api_client, email="KHACH@example.com", password="Khac-hoan-toan-99")
    assert result["errors"] == []
    assert User.objects.filter(email="khach@example.com").count() == 1
    customer_user.refresh_from_db()
    assert customer_user.check_password(PASSWORD)
    assert mailoutbox == []


def test_unknown_channel_is_not_found(api_client):
    result = register(api_client, channel="khong-co")
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("channel", "NOT_FOUND")]


def test_password_reset_flow(
    api_client, customer_user, vn_channel, mailoutbox, django_capture_on_commit_callbacks
):
    variables = {"email": customer_user.email, "channel": "vn", "redirectUrl": REDIRECT}
    with django_capture_on_commit_callbacks(execute=True):
        result = api_client.execute(RESET, variables)
    assert result["data"]["requestPasswordReset"]["errors"] == []
    (mail,) = mailoutbox
    assert "Đặt lại mật khẩu" in mail.subject
    token = token_from(mail)

    weak = api_client.execute(
        SET_PASSWORD, {"email": customer_user.email, "password": "123", "token": token}
    )
    assert {"field": "password", "code": "PASSWORD_TOO_SHORT"} in weak["data"]["setPassword"][
        "errors"
    ]
    done = api_client.execute(
        SET_PASSWORD,
        {"email": customer_user.email, "password": "Mat-khau-moi-2026", "token": token},
    )["data"]["setPassword"]
    assert done["errors"] == []
    me = api_client.execute("{ me { email } }", token=done["token"])
    assert me["data"]["me"] == {"email": customer_user.email}
    again = api_client.execute(
        SET_PASSWORD, {"email": customer_user.email, "password": "Lan-nua-2026-x", "token": token}
    )
    assert again["data"]["setPassword"]["errors"] == [{"field": "token", "code": "INVALID"}]


def test_password_reset_says_nothing_about_unknown_emails(
    api_client, vn_channel, mailoutbox, django_capture_on_commit_callbacks
):
    variables = {"email": "ai-do@example.com", "channel": "vn", "redirectUrl": REDIRECT}
    with django_capture_on_commit_callbacks(execute=True):
        result = api_client.execute(RESET, variables)
    assert result["data"]["requestPasswordReset"]["errors"] == []
    assert mailoutbox == []


def test_password_reset_refuses_foreign_redirects(api_client, customer_user, vn_channel):
    variables = {"email": customer_user.email, "channel": "vn", "redirectUrl": "https://x.example/"}
    errors = api_client.execute(RESET, variables)["data"]["requestPasswordReset"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("redirectUrl", "INVALID")]


def test_set_password_revokes_earlier_tokens(api_client, customer_user, customer_token):
    from backend.account.emails import password_reset_token_generator

    token = password_reset_token_generator.make_token(customer_user)
    api_client.execute(
        SET_PASSWORD,
        {"email": customer_user.email, "password": "Mat-khau-moi-2026", "token": token},
    )
    result = api_client.execute("{ me { email } }", token=customer_token)
    assert result["errors"][0]["extensions"]["code"] == "InvalidTokenError"


def test_password_change(api_client, customer_user, customer_token):
    wrong = api_client.execute(
        PASSWORD_CHANGE, {"oldPassword": "sai", "newPassword": "Mat-khau-moi-2026"}, customer_token
    )["data"]["passwordChange"]
    assert [(e["field"], e["code"]) for e in wrong["errors"]] == [
        ("oldPassword", "INVALID_PASSWORD")
    ]
    weak = api_client.execute(
        PASSWORD_CHANGE, {"oldPassword": PASSWORD, "newPassword": "12345678"}, customer_token
    )["data"]["passwordChange"]
    assert ("newPassword", "PASSWORD_ENTIRELY_NUMERIC") in [
        (e["field"], e["code"]) for e in weak["errors"]
    ]
    customer_user.refresh_from_db()
    assert customer_user.check_password(PASSWORD)
    ok = api_client.execute(
        PASSWORD_CHANGE,
        {"oldPassword": PASSWORD, "newPassword": "Mat-khau-moi-2026"},
        customer_token,
    )["data"]["passwordChange"]
    assert ok["errors"] == []
    customer_user.refresh_from_db()
    assert customer_user.check_password("Mat-khau-moi-2026")


def test_password_change_needs_a_signed_in_user(api_client, db):
    result = api_client.execute(PASSWORD_CHANGE, {"oldPassword": "a", "newPassword": "b"})
    assert result["data"]["passwordChange"] is None
    assert result["errors"][0]["extensions"]["code"] == "PermissionDenied"


def test_account_update(api_client, customer_user, customer_token):
    result = api_client.execute(
        """mutation AccountUpdate($input: AccountInput!) {
          accountUpdate(input: $input) {
            user { firstName lastName languageCode metadata { key value }
                   defaultShippingAddress { city countryArea } addresses { id } }
            errors { field code }
          }
        }""",
        {
            "input": {
                "firstName": "Hoa",
                "languageCode": "EN",
                "metadata": [{"key": "nguon", "value": "zalo"}],
                "defaultShippingAddress": {
                    "streetAddress1": "12 Lê Lợi",
                    "city": "Phường Sài Gòn",
                    "countryArea": "Hồ Chí Minh",
                    "country": "VN",
                },
            }
        },
        customer_token,
    )["data"]["accountUpdate"]
    assert result["errors"] == []
    user = result["user"]
    assert (user["firstName"], user["lastName"], user["languageCode"]) == ("Hoa", "Nguyễn", "EN")
    assert user["metadata"] == [{"key": "nguon", "value": "zalo"}]
    assert user["defaultShippingAddress"] == {
        "city": "Phường Sài Gòn",
        "countryArea": "Thành phố Hồ Chí Minh",
    }
    assert len(user["addresses"]) == 1


def test_account_update_with_a_bad_address_changes_nothing(
    api_client, customer_user, customer_token
):
    result = api_client.execute(
        "mutation ($input: AccountInput!) "
        "{ accountUpdate(input: $input) { errors { field code } } }",
        {
            "input": {
                "firstName": "Hoa",
                "defaultBillingAddress": {"streetAddress1": "1", "city": "X", "countryArea": "Y"},
            }
        },
        customer_token,
    )["data"]["accountUpdate"]
    assert result["errors"][0] == {"field": "defaultBillingAddress", "code": "INVALID"}
    customer_user.refresh_from_db()
    assert customer_user.first_name == "Lan"
    assert customer_user.addresses.count() == 0


def test_account_deletion_flow(
    api_client, customer_user, customer_token, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = api_client.execute(
            """mutation AccountRequestDeletion($redirectUrl: String!, $channel: String) {
              accountRequestDeletion(redirectUrl: $redirectUrl, channel: $channel) {
                errors { field code }
              }
            }""",
            {"redirectUrl": REDIRECT},
            customer_token,
        )
    assert result["data"]["accountRequestDeletion"]["errors"] == []
    (mail,) = mailoutbox
    assert "xoá tài khoản" in mail.subject
    token = token_from(mail)
    delete = "mutation ($t: String!) { accountDelete(token: $t) { errors { field code } } }"

    from backend.account.emails import password_reset_token_generator

    reset_token = password_reset_token_generator.make_token(customer_user)
    refused = api_client.execute(delete, {"t": reset_token}, customer_token)
    assert refused["data"]["accountDelete"]["errors"] == [{"field": "token", "code": "INVALID"}]
    assert User.objects.filter(pk=customer_user.pk).exists()

    done = api_client.execute(delete, {"t": token}, customer_token)
    assert done["data"]["accountDelete"]["errors"] == []
    assert not User.objects.filter(pk=customer_user.pk).exists()


def test_links_to_the_home_page_sent_earlier_still_confirm(
    api_client, client, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.PUBLIC_URL = "http://127.0.0.1:8000"
    with django_capture_on_commit_callbacks(execute=True):
        register(api_client, redirectUrl="http://127.0.0.1:8000/")
    (mail,) = mailoutbox
    query = re.search(r"http://127\.0\.0\.1:8000/(\?email=\S+)", mail.body).group(1)

    page = client.get(f"/{query}", follow=True)

    assert page.redirect_chain[-1][0].startswith("/tai-khoan/xac-nhan/?email=")
    assert "Tài khoản của bạn đã được xác nhận." in page.content.decode()
    assert User.objects.get(email="moi@example.com").is_confirmed
