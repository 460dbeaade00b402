"""A browser storefront on another origin may call /graphql/ (and only it) when its origin is
allowed by ALLOWED_GRAPHQL_ORIGINS."""

import os
import subprocess
import sys

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

STOREFRONT = "https://cua-hang.example"
QUERY = {"query": "{ shop { name } }"}


def _preflight(origin):
    return Client().options(
        "/graphql/",
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )


def test_preflight_allows_any_origin_by_default():
    response = _preflight(STOREFRONT)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response["Access-Control-Allow-Methods"]
    allowed_headers = response["Access-Control-Allow-Headers"].lower()
    assert "authorization" in allowed_headers and "content-type" in allowed_headers


def test_actual_request_carries_the_allow_header(customer_token):
    response = Client().post(
        "/graphql/",
        {"query": "{ me { email } }"},
        content_type="application/json",
        HTTP_ORIGIN=STOREFRONT,
        HTTP_AUTHORIZATION=f"Bearer {customer_token}",
    )
    assert response.status_code == 200
    assert response.json()["data"]["me"]["email"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_configured_origins_only(settings):
    settings.CORS_ALLOW_ALL_ORIGINS = False
    settings.CORS_ALLOWED_ORIGINS = [STOREFRONT]
    allowed = _preflight(STOREFRONT)
    assert allowed["Access-Control-Allow-Origin"] == STOREFRONT
    other = _preflight("https://ke-gian.example")
    assert "Access-Control-Allow-Origin" not in other
    posted = Client().post(
        "/graphql/", QUERY, content_type="application/json", HTTP_ORIGIN="https://ke-gian.example"
    )
    assert "Access-Control-Allow-Origin" not in posted


def test_only_the_api_is_shared_with_other_origins():
    response = Client().get("/", HTTP_ORIGIN=STOREFRONT)
    assert "Access-Control-Allow-Origin" not in response


def test_allowed_origins_come_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CORS_ALLOW_ALL_ORIGINS, settings.CORS_ALLOWED_ORIGINS)"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backend.settings",
        "ALLOWED_GRAPHQL_ORIGINS": f"{STOREFRONT},http://localhost:3000",
    }
    output = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == f"False ['{STOREFRONT}', 'http://localhost:3000']"
