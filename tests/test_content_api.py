import json
from datetime import timedelta

import pytest
from django.utils import timezone

from backend.attribute.models import AssignedPageAttributeValue, Attribute, AttributePage
from backend.menu.models import Menu, MenuItem
from backend.page.models import Page, PageTranslation

pytestmark = pytest.mark.django_db

PAGE_QUERY = """
query ($slug: String, $id: ID, $lang: LanguageCodeEnum) {
  page(slug: $slug, id: $id, slugLanguageCode: $lang) {
    id title slug content seoTitle isPublished pageType { name slug }
    translation(languageCode: EN) { title slug seoTitle language { code } }
  }
}
"""

PAGES_QUERY = """
query ($first: Int, $after: String, $sortBy: PageSortingInput, $filter: PageFilterInput,
       $where: PageWhereInput, $search: String) {
  pages(first: $first, after: $after, sortBy: $sortBy, filter: $filter, where: $where,
        search: $search) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { slug title } }
  }
}
"""


def _slugs(result):
    return [edge["node"]["slug"] for edge in result["data"]["pages"]["edges"]]


def test_page_by_slug_returns_editorjs_content_and_type(api_client, about_page):
    page = api_client.execute(PAGE_QUERY, {"slug": "gioi-thieu"})["data"]["page"]
    assert page["title"] == "Giới thiệu"
    assert json.loads(page["content"])["blocks"][0]["data"]["text"] == "Sản phẩm OCOP của tỉnh."
    assert page["pageType"] == {"name": "Trang thông tin", "slug": "trang-thong-tin"}
    assert page["seoTitle"] == "Giới thiệu OCOP Market"


def test_page_by_id_and_english_translation(api_client, about_page):
    page_id = api_client.execute(PAGE_QUERY, {"slug": "gioi-thieu"})["data"]["page"]["id"]
    page = api_client.execute(PAGE_QUERY, {"id": page_id})["data"]["page"]
    assert page["translation"] == {
        "title": "About us",
        "slug": "about-us",
        "seoTitle": "About",
        "language": {"code": "EN"},
    }


def test_page_by_translated_slug(api_client, about_page):
    page = api_client.execute(PAGE_QUERY, {"slug": "about-us", "lang": "EN"})["data"]["page"]
    assert page["slug"] == "gioi-thieu"


def test_page_without_translation_returns_null_translation(api_client, draft_page):
    draft_page.is_published = True
    draft_page.save()
    page = api_client.execute(PAGE_QUERY, {"slug": draft_page.slug})["data"]["page"]
    assert page["translation"] is None


def test_unpublished_page_hidden_from_anonymous(api_client, draft_page):
    assert api_client.execute(PAGE_QUERY, {"slug": draft_page.slug})["data"]["page"] is None
    assert _slugs(api_client.execute(PAGES_QUERY, {"first": 10})) == []


def test_unpublished_page_hidden_from_staff_without_manage_pages(
    api_client, draft_page, staff_without_page_permission_token
):
    result = api_client.execute(
        PAGE_QUERY, {"slug": draft_page.slug}, token=staff_without_page_permission_token
    )
    assert result["data"]["page"] is None


def test_unpublished_page_visible_to_page_manager(api_client, draft_page, page_manager_token):
    result = api_client.execute(PAGE_QUERY, {"slug": draft_page.slug}, token=page_manager_token)
    assert result["data"]["page"]["isPublished"] is False
    pages = api_client.execute(PAGES_QUERY, {"first": 10}, token=page_manager_token)
    assert _slugs(pages) == ["chinh-sach-doi-tra"]


def test_page_scheduled_for_later_is_hidden(api_client, page_type):
    Page.objects.create(
        page_type=page_type,
        title="Sắp ra mắt",
        slug="sap-ra-mat",
        is_published=True,
        published_at=timezone.now() + timedelta(days=1),
    )
    assert api_client.execute(PAGE_QUERY, {"slug": "sap-ra-mat"})["data"]["page"] is None


def test_page_lookup_needs_exactly_one_of_id_and_slug(api_client):
    result = api_client.execute(PAGE_QUERY, {})
    assert result["data"]["page"] is None
    assert "'id', 'slug'" in result["errors"][0]["message"]


@pytest.fixture
def many_pages(page_type):
    titles = ["Cẩm nang", "Bảo hành", "Anh hùng", "Đặc sản", "Chè Thái"]
    return [
        Page.objects.create(page_type=page_type, title=title, slug=f"trang-{i}", is_published=True)
        for i, title in enumerate(titles)
    ]


def test_pages_paging_walks_every_page_once(api_client, many_pages):
    seen, after = [], None
    while True:
        data = api_client.execute(PAGES_QUERY, {"first": 2, "after": after})["data"]["pages"]
        seen += [edge["node"]["slug"] for edge in data["edges"]]
        assert data["totalCount"] == 5
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    assert seen == [f"trang-{i}" for i in range(5)]


def test_pages_sorted_by_title_descending(api_client, many_pages):
    result = api_client.execute(
        PAGES_QUERY, {"first": 10, "sortBy": {"field": "TITLE", "direction": "DESC"}}
    )
    titles = [edge["node"]["title"] for edge in result["data"]["pages"]["edges"]]
    assert titles == sorted(titles, reverse=True)


def test_pages_filter_by_slugs(api_client, many_pages):
    result = api_client.execute(
        PAGES_QUERY, {"first": 10, "filter": {"slugs": ["trang-3", "trang-1", "khong-co"]}}
    )
    assert _slugs(result) == ["trang-1", "trang-3"]
    assert result["data"]["pages"]["totalCount"] == 2


def test_pages_where_slug_one_of_or(api_client, many_pages):
    where = {"OR": [{"slug": {"eq": "trang-0"}}, {"slug": {"oneOf": ["trang-4"]}}]}
    assert _slugs(api_client.execute(PAGES_QUERY, {"first": 10, "where": where})) == [
        "trang-0",
        "trang-4",
    ]


def test_pages_filter_and_where_together_is_an_error(api_client, many_pages):
    result = api_client.execute(
        PAGES_QUERY, {"first": 10, "filter": {"slugs": ["trang-1"]}, "where": {"ids": []}}
    )
    assert result["data"]["pages"] is None
    assert result["errors"]


def test_pages_search_by_title(api_client, many_pages):
    assert _slugs(api_client.execute(PAGES_QUERY, {"first": 10, "search": "chè"})) == ["trang-4"]


def test_pages_cost_bounded_queries(api_client, many_pages, django_assert_max_num_queries):
    for page in many_pages:
        PageTranslation.objects.create(page=page, language_code="en", title=f"EN {page.title}")
    query = """{ pages(first: 100) { totalCount edges { node {
        title pageType { slug } translation(languageCode: EN) { title } } } } }"""
    with django_assert_max_num_queries(5):
        result = api_client.execute(query)
    titles = [e["node"]["translation"]["title"] for e in result["data"]["pages"]["edges"]]
    assert titles == [f"EN {page.title}" for page in many_pages]


def test_page_attributes_of_its_type_with_assigned_values(api_client, about_page):
    region = Attribute.objects.create(slug="vung-mien", name="Vùng miền", type="page-type")
    hidden = Attribute.objects.create(
        slug="ghi-chu-noi-bo", name="Ghi chú nội bộ", type="page-type", visible_in_storefront=False
    )
    for sort_order, attribute in enumerate([region, hidden]):
        AttributePage.objects.create(
            attribute=attribute, page_type=about_page.page_type, sort_order=sort_order
        )
    north = region.values.create(name="Miền Bắc", slug="mien-bac")
    AssignedPageAttributeValue.objects.create(page=about_page, value=north)
    query = """query ($slug: String) { page(slug: $slug) {
        attributes { attribute { slug } values { name } }
        attribute(slug: "vung-mien") { values { slug } } } }"""
    page = api_client.execute(query, {"slug": about_page.slug})["data"]["page"]
    assert page["attributes"] == [
        {"attribute": {"slug": "vung-mien"}, "values": [{"name": "Miền Bắc"}]}
    ]
    assert page["attribute"] == {"values": [{"slug": "mien-bac"}]}


MENU_QUERY = """
query ($slug: String) {
  menu(slug: $slug) {
    name slug
    items {
      name level url page { slug }
      translation(languageCode: EN) { name }
      children {
        name level parent { name }
        children { name level page { slug } children { name } }
      }
    }
  }
}
"""


def test_menu_tree_shape(api_client, navbar):
    menu = api_client.execute(MENU_QUERY, {"slug": "navbar"})["data"]["menu"]
    assert menu["name"] == "navbar"
    top = menu["items"]
    assert [item["name"] for item in top] == ["Cửa hàng", "Giới thiệu"]
    assert top[1]["page"] == {"slug": "gioi-thieu"}
    child = top[0]["children"][0]
    assert (child["name"], child["level"], child["parent"]) == (
        "Nhóm sản phẩm",
        1,
        {"name": "Cửa hàng"},
    )
    grandchild = child["children"][0]
    assert (grandchild["name"], grandchild["level"]) == ("Chính sách", 2)
    # The policy page is still a draft: anonymous visitors don't get it.
    assert grandchild["page"] is None
    assert grandchild["children"] == []


def test_menu_item_draft_page_visible_to_page_manager(api_client, navbar, page_manager_token):
    menu = api_client.execute(MENU_QUERY, {"slug": "navbar"}, token=page_manager_token)
    grandchild = menu["data"]["menu"]["items"][0]["children"][0]["children"][0]
    assert grandchild["page"] == {"slug": "chinh-sach-doi-tra"}


def test_menu_item_translation(api_client, navbar):
    item = MenuItem.objects.get(name="Cửa hàng")
    item.translations.create(language_code="en", name="Shop")
    items = api_client.execute(MENU_QUERY, {"slug": "navbar"})["data"]["menu"]["items"]
    assert [i["translation"] for i in items] == [{"name": "Shop"}, None]


def test_menu_queries_bounded_whatever_its_size(api_client, navbar, django_assert_max_num_queries):
    def count_queries():
        with django_assert_max_num_queries(30) as captured:
            api_client.execute(MENU_QUERY, {"slug": "navbar"})
        return len(captured)

    small = count_queries()
    for i in range(20):
        top = MenuItem.objects.create(menu=navbar, name=f"Mục {i}", sort_order=10 + i)
        child = MenuItem.objects.create(menu=navbar, name=f"Mục con {i}", parent=top)
        MenuItem.objects.create(menu=navbar, name=f"Mục cháu {i}", parent=child)
    assert count_queries() == small
    assert small <= 8


def test_menu_by_name_and_unknown_menu(api_client, navbar):
    query = "query ($name: String) { menu(name: $name) { slug } }"
    assert api_client.execute(query, {"name": "navbar"})["data"]["menu"] == {"slug": "navbar"}
    assert api_client.execute(query, {"name": "footer"})["data"]["menu"] is None


def test_menus_connection(api_client, navbar):
    Menu.objects.create(name="footer", slug="footer")
    query = "{ menus(first: 10) { totalCount edges { node { slug items { name } } } } }"
    data = api_client.execute(query)["data"]["menus"]
    assert data["totalCount"] == 2
    assert [edge["node"]["slug"] for edge in data["edges"]] == ["navbar", "footer"]
    assert [i["name"] for i in data["edges"][0]["node"]["items"]] == ["Cửa hàng", "Giới thiệu"]
