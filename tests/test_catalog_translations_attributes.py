"""Translations (English from *Translation rows, Vietnamese from the objects themselves) and
attributes in both the deprecated and the assigned shape."""

import pytest

pytestmark = pytest.mark.django_db

TRANSLATIONS = """
{
  product(slug: "nuoc-mam-phu-quoc", channel: "vn") {
    en: translation(languageCode: EN) { name slug }
    vi: translation(languageCode: VI) { name slug }
    fr: translation(languageCode: FR) { name }
    attributes {
      attribute { name translation(languageCode: EN) { name } }
      values { name translation(languageCode: EN) { name } }
    }
    variants { translation(languageCode: VI) { name } }
  }
}
"""


def test_translations_aliased_for_several_languages(api_client, catalog):
    product = api_client.execute(TRANSLATIONS)["data"]["product"]
    assert product["en"] == {"name": "Phu Quoc fish sauce", "slug": "phu-quoc-fish-sauce"}
    assert product["vi"] == {"name": "Nước mắm Phú Quốc", "slug": "nuoc-mam-phu-quoc"}
    assert product["fr"] is None
    assert product["attributes"] == [
        {
            "attribute": {"name": "Vùng miền", "translation": {"name": "Region"}},
            "values": [{"name": "Miền Nam", "translation": {"name": "South"}}],
        }
    ]
    assert product["variants"][0]["translation"] == {"name": "Loại 1"}


ASSIGNED = """
{
  product(slug: "nuoc-mam-phu-quoc", channel: "vn") {
    assignedAttribute(slug: "vung-mien") {
      attribute { slug }
      ... on AssignedSingleChoiceAttribute { value { name slug translation(languageCode: EN) } }
    }
    assignedAttributes(limit: 5) { attribute { slug inputType } }
    variants { assignedAttributes { attribute { slug } } }
  }
}
"""


def test_assigned_attributes(api_client, catalog):
    """Needs the AssignedAttribute implementations registered in the schema (api.py types=)."""
    result = api_client.execute(ASSIGNED)
    assert "errors" not in result, result["errors"]
    product = result["data"]["product"]
    assert product["assignedAttribute"] == {
        "attribute": {"slug": "vung-mien"},
        "value": {"name": "Miền Nam", "slug": "mien-nam", "translation": "South"},
    }
    assert product["assignedAttributes"] == [
        {"attribute": {"slug": "vung-mien", "inputType": "DROPDOWN"}}
    ]
    assert product["variants"][0]["assignedAttributes"] == [{"attribute": {"slug": "dung-tich"}}]


def test_attributes_hidden_from_storefront_are_not_shown(api_client, catalog):
    from backend.attribute.models import Attribute

    Attribute.objects.filter(slug="vung-mien").update(visible_in_storefront=False)
    product = api_client.execute(TRANSLATIONS)["data"]["product"]
    assert product["attributes"] == []
