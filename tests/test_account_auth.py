"""Sign-in with JWT as Saleor's storefront and auth SDK do it: tokenCreate, tokenRefresh,
tokenVerify, and `me` with good, expired and forged tokens."""

import jwt as pyjwt
import pytest
from django.conf import settings

from backend.account.models import User
from tests.fixtures.accounts import PASSWORD, access_token_for, expired_access_token_for

pytestmark = pytest.mark.django_db

TOKEN_CREATE = """
mutation tokenCreate($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) {
    token refreshToken csrfToken
    user { id email firstName }
    errors { field message code }
  }
}
"""
TOKEN_REFRESH = """
mutation refreshToken($refreshToken: String!) {
  tokenRefresh(refreshToken: $refreshToken) { token errors { field message code } }
}
"""
TOKEN_VERIFY = """
mutation ($token: String!) {
  tokenVerify(token: $token) { isValid payload user { email } errors { field code } }
}
"""
CURRENT_USER = "query CurrentUser { me { id email firstName lastName isActive isConfirmed } }"


def sign_in(api_client, email="khach@example.com", password=PASSWORD):
    return api_client.execute(TOKEN_CREATE, {"email": email, "password": password})["data"][
        "tokenCreate"
    ]


def test_sign_in_then_me_returns_the_user(api_client, customer_user):
    result = sign_in(api_client, email="KHACH@example.com ")
    assert result["errors"] == []
    assert result["user"]["email"] == "khach@example.com"
    me = api_client.execute(CURRENT_USER, token=result["token"])["data"]["me"]
    assert me["email"] == "khach@example.com"
    assert me["firstName"] == "Lan"


def test_wrong_password_is_invalid_credentials(api_client, customer_user):
    result = sign_in(api_client, password="sai-mat-khau")
    assert result["token"] is None
    assert result["errors"] == [
        {
            "field": "email",
            "message": "Email hoặc mật khẩu không đúng.",
            "code": "INVALID_CREDENTIALS",
        }
    ]


def test_sign_in_error_is_english_when_the_storefront_asks_in_english(client, customer_user):
    response = client.post(
        "/graphql/",
        {"query": TOKEN_CREATE, "variables": {"email": customer_user.email, "password": "x"}},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    errors = response.json()["data"]["tokenCreate"]["errors"]
    assert [e["message"] for e in errors] == ["Please, enter valid credentials."]


def test_unknown_email_gives_the_same_error(api_client, db):
    result = sign_in(api_client, email="ai-do@example.com")
    assert result["errors"][0]["code"] == "INVALID_CREDENTIALS"


def test_inactive_user_is_refused(api_client, customer_user):
    customer_user.is_active = False
    customer_user.save()
    result = sign_in(api_client)
    assert result["token"] is None
    assert result["errors"][0]["code"] == "INACTIVE"


def test_unconfirmed_account_cannot_sign_in(api_client, customer_user):
    customer_user.is_confirmed = False
    customer_user.save()
    result = sign_in(api_client)
    assert result["token"] is None
    assert result["errors"][0]["code"] == "ACCOUNT_NOT_CONFIRMED"


def test_audience_is_written_into_the_token(api_client, customer_user):
    result = api_client.execute(
        "mutation ($e: String!, $p: String!) { tokenCreate(email: $e, password: $p, "
        'audience: "shop") { token } }',
        {"e": customer_user.email, "p": PASSWORD},
    )["data"]["tokenCreate"]
    payload = pyjwt.decode(result["token"], options={"verify_signature": False})
    assert payload["aud"] == "custom:shop"


def test_anonymous_me_is_null(api_client, db):
    assert api_client.execute(CURRENT_USER) == {"data": {"me": None}}


def test_expired_token_on_me_is_a_top_level_error(api_client, customer_user):
    result = api_client.execute(CURRENT_USER, token=expired_access_token_for(customer_user))
    assert result["data"]["me"] is None
    error = result["errors"][0]
    assert error["extensions"]["exception"]["code"] == "ExpiredSignatureError"
    assert error["message"] == "Signature has expired"


def test_forged_token_on_me_is_a_top_level_error(api_client, customer_user):
    forged = pyjwt.encode(
        {"type": "access", "email": customer_user.email, "token": str(customer_user.jwt_token_key)},
        "not-our-secret",
        algorithm="HS256",
    )
    result = api_client.execute(CURRENT_USER, token=forged)
    assert result["data"]["me"] is None
    assert result["errors"][0]["extensions"]["code"] in ("DecodeError", "InvalidTokenError")


def test_revoked_token_is_refused(api_client, customer_user, customer_token):
    customer_user.jwt_token_key = "rotated"
    customer_user.save()
    result = api_client.execute(CURRENT_USER, token=customer_token)
    assert result["errors"][0]["extensions"]["code"] == "InvalidTokenError"


def test_refresh_gives_a_working_access_token(api_client, customer_user):
    tokens = sign_in(api_client)
    refreshed = api_client.execute(TOKEN_REFRESH, {"refreshToken": tokens["refreshToken"]})
    result = refreshed["data"]["tokenRefresh"]
    assert result["errors"] == []
    me = api_client.execute(CURRENT_USER, token=result["token"])["data"]["me"]
    assert me["email"] == customer_user.email


def test_refresh_with_an_access_token_is_refused(api_client, customer_user, customer_token):
    result = api_client.execute(TOKEN_REFRESH, {"refreshToken": customer_token})
    assert result["data"]["tokenRefresh"]["token"] is None
    assert result["data"]["tokenRefresh"]["errors"][0] == {
        "field": "refreshToken",
        "message": "Invalid token type",
        "code": "JWT_INVALID_TOKEN",
    }


def test_refresh_without_token_is_missing_token(api_client, db):
    result = api_client.execute("mutation { tokenRefresh { token errors { field code } } }")
    assert result["data"]["tokenRefresh"]["errors"] == [
        {"field": "refreshToken", "code": "JWT_MISSING_TOKEN"}
    ]


def test_refresh_with_garbage_is_decode_error(api_client, db):
    result = api_client.execute(TOKEN_REFRESH, {"refreshToken": "not-a-jwt"})
    assert result["data"]["tokenRefresh"]["errors"][0]["code"] == "JWT_DECODE_ERROR"


def test_refresh_with_a_wrong_csrf_token_is_refused(api_client, customer_user):
    tokens = sign_in(api_client)
    result = api_client.execute(
        "mutation ($r: String!, $c: String) { tokenRefresh(refreshToken: $r, csrfToken: $c)"
        " { token errors { field code } } }",
        {"r": tokens["refreshToken"], "c": "wrong"},
    )["data"]["tokenRefresh"]
    assert result["token"] is None
    assert result["errors"] == [{"field": "csrfToken", "code": "JWT_INVALID_CSRF_TOKEN"}]


def test_refresh_for_a_deactivated_user_is_refused(api_client, customer_user):
    tokens = sign_in(api_client)
    User.objects.filter(pk=customer_user.pk).update(is_active=False)
    result = api_client.execute(TOKEN_REFRESH, {"refreshToken": tokens["refreshToken"]})
    assert result["data"]["tokenRefresh"]["errors"][0]["code"] == "JWT_INVALID_TOKEN"


def test_verify_token(api_client, customer_user, customer_token):
    result = api_client.execute(TOKEN_VERIFY, {"token": customer_token})["data"]["tokenVerify"]
    assert result["isValid"] is True
    assert result["user"] == {"email": customer_user.email}
    assert result["payload"]["email"] == customer_user.email
    assert result["payload"]["iss"] == f"{settings.PUBLIC_URL.rstrip('/')}/graphql/"


def test_the_issuer_is_the_api_url_of_the_public_url(api_client, customer_user, settings):
    """@saleor/auth-sdk sends the token only when `iss` is the API URL it called."""
    settings.PUBLIC_URL = "https://ocop.example.vn"
    tokens = sign_in(api_client)
    payload = pyjwt.decode(tokens["token"], options={"verify_signature": False})
    assert payload["iss"] == "https://ocop.example.vn/graphql/"
    refreshed = pyjwt.decode(tokens["refreshToken"], options={"verify_signature": False})
    assert refreshed["iss"] == "https://ocop.example.vn/graphql/"
    me = api_client.execute(CURRENT_USER, token=tokens["token"])["data"]["me"]
    assert me["email"] == "khach@example.com"


def test_a_token_of_the_previous_issuer_still_signs_in(api_client, customer_user):
    """Refresh tokens issued as "ocop-market" before the issuer became the API URL."""
    payload = pyjwt.decode(access_token_for(customer_user), options={"verify_signature": False}) | {
        "iss": "ocop-market"
    }
    token = pyjwt.encode(payload, settings.SECRET_KEY, algorithm="HS256")
    me = api_client.execute(CURRENT_USER, token=token)["data"]["me"]
    assert me["email"] == "khach@example.com"


def test_a_token_of_another_issuer_is_refused(api_client, customer_user):
    payload = pyjwt.decode(access_token_for(customer_user), options={"verify_signature": False}) | {
        "iss": "https://other-shop.example/graphql/"
    }
    token = pyjwt.encode(payload, settings.SECRET_KEY, algorithm="HS256")
    result = api_client.execute(CURRENT_USER, token=token)
    assert result["data"]["me"] is None


def test_verify_expired_token(api_client, customer_user):
    token = expired_access_token_for(customer_user)
    result = api_client.execute(TOKEN_VERIFY, {"token": token})["data"]["tokenVerify"]
    assert result["isValid"] is False
    assert result["user"] is None
    assert result["errors"] == [{"field": "token", "code": "JWT_SIGNATURE_EXPIRED"}]
