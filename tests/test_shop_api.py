import pytest

from backend.channel.models import Channel

pytestmark = pytest.mark.django_db

SHOP_QUERY = """
{
  shop {
    name description version schemaVersion
    defaultCountry { code country }
    languages { code language }
    domain { host sslEnabled url }
    permissions { code name }
  }
}
"""


def test_shop_public_fields(api_client, settings):
    settings.PUBLIC_URL = "https://ocop.example.vn"
    shop = api_client.execute(SHOP_QUERY)["data"]["shop"]
    assert shop["name"] == "OCOP Market"
    assert shop["description"]
    assert shop["schemaVersion"] == "3.23"
    assert shop["version"]
    assert shop["defaultCountry"]["code"] == "VN"
    assert [language["code"] for language in shop["languages"]] == ["VI", "EN"]
    assert shop["languages"][0]["language"] == "Tiếng Việt"
    assert shop["domain"] == {
        "host": "ocop.example.vn",
        "sslEnabled": True,
        "url": "https://ocop.example.vn/graphql/",
    }
    permissions = {p["code"]: p["name"] for p in shop["permissions"]}
    assert permissions["MANAGE_PAGES"] == "Manage pages."
    assert "MANAGE_PRODUCTS" in permissions


def test_shop_name_from_settings(api_client, settings):
    settings.SHOP_NAME = "Chợ OCOP Quảng Ninh"
    assert api_client.execute("{ shop { name } }")["data"]["shop"]["name"] == "Chợ OCOP Quảng Ninh"


def test_shop_countries_in_requested_language(api_client):
    query = """{ en: shop { countries(languageCode: EN) { code country } }
                 vi: shop { countries(languageCode: VI) { code country } } }"""
    data = api_client.execute(query)["data"]
    english = {c["code"]: c["country"] for c in data["en"]["countries"]}
    vietnamese = {c["code"]: c["country"] for c in data["vi"]["countries"]}
    assert english["DE"] == "Germany"
    assert vietnamese["DE"] == "Đức"
    assert len(english) > 200


def test_channel_currencies_and_mail_sender_need_staff(api_client, page_manager_token, settings):
    settings.DEFAULT_FROM_EMAIL = "OCOP Market <no-reply@ocop.example>"
    Channel.objects.create(name="Việt Nam", slug="vn", currency_code="VND")
    Channel.objects.create(name="International", slug="intl", currency_code="USD")
    query = "{ shop { channelCurrencies defaultMailSenderName defaultMailSenderAddress } }"
    anonymous = api_client.execute(query)
    assert anonymous["data"] is None
    assert anonymous["errors"][0]["extensions"]["code"] == "PermissionDenied"
    staff = api_client.execute(query, token=page_manager_token)["data"]["shop"]
    assert staff == {
        "channelCurrencies": ["USD", "VND"],
        "defaultMailSenderName": "OCOP Market",
        "defaultMailSenderAddress": "no-reply@ocop.example",
    }
