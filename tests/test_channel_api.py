import pytest

from backend.channel.models import Channel

pytestmark = pytest.mark.django_db

CHANNEL_QUERY = """
query ($slug: String) {
  channel(slug: $slug) { id slug name currencyCode isActive countries { code } }
}
"""


def test_channel_by_slug_returns_currency(api_client):
    Channel.objects.create(name="Việt Nam", slug="vn", currency_code="VND")
    data = api_client.execute(CHANNEL_QUERY, {"slug": "vn"})["data"]["channel"]
    assert data["currencyCode"] == "VND"
    assert data["countries"] == [{"code": "VN"}]


def test_unknown_channel_is_null(api_client):
    assert api_client.execute(CHANNEL_QUERY, {"slug": "nope"}) == {"data": {"channel": None}}


def test_channels_list_requires_staff(api_client):
    result = api_client.execute("{ channels { slug } }")
    assert result["data"]["channels"] is None
    error = result["errors"][0]
    assert error["extensions"]["exception"]["code"] == "PermissionDenied"
    assert error["extensions"]["code"] == "PermissionDenied"
