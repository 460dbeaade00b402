"""The demo shop's answers to searches as a buyer reads them, from the storefront's search page
and from the API's `products(search:)`; one table of queries and expected answers, checked on
PostgreSQL (tests/test_search_answers.py) and on the embedded SQLite default
(tests/test_sqlite_default.py, which runs `search_answers` in a subprocess)."""

import html
import json
import re

from django.test import Client
from django.urls import reverse

LONG_QUERY = " ".join(["gạo"] * 2000)
RICE = ["Gạo an toàn Ái Nghĩa", "Gạo sạch Toản Xuân"]
NINH_BINH = [
    "Dầu lạc nguyên chất An Nhiên",
    "Dầu vừng nguyên chất An Nhiên",
    "Gạo sạch Toản Xuân",
    "Nghêu thịt hộp Lenger",
    "Sa tế OIHINSU",
    "Tương ớt Quang Minh Sài Gòn",
]
NO_MATCH = {"no-results": "Không có sản phẩm nào khớp"}

# (query, the products listed best first, notes the page shows: its class -> words it holds)
DEMO_SEARCHES = [
    # Real words the demo catalogue lacks: nothing matches, nothing is "corrected".
    ("nuoc mam", [], NO_MATCH),
    ("Nước mắm", [], NO_MATCH),
    ("mat ong", [], NO_MATCH),
    ("mật ong", [], NO_MATCH),
    # Junk lists nothing, not the whole catalogue.
    ("🍯🍯", [], NO_MATCH),
    ("\u200f", [], NO_MATCH),
    # Misspellings are corrected; words as typed match as typed.
    ("dau lca", ["Dầu lạc nguyên chất An Nhiên"], {"correction": "dau lca"}),
    ("dầu lạc", ["Dầu lạc nguyên chất An Nhiên"], {}),
    ("gao ai nghia", ["Gạo an toàn Ái Nghĩa"], {}),
    ("ngheu", ["Nghêu thịt hộp Lenger"], {}),
    # Province names, current and former, filter to the current unit's products.
    ("Quảng Nam", ["Gạo an toàn Ái Nghĩa"], {"province": "Đà Nẵng"}),
    ("Tỉnh Quảng Nam", ["Gạo an toàn Ái Nghĩa"], {"province": "Đà Nẵng"}),
    ("quang nam", ["Gạo an toàn Ái Nghĩa"], {"province": "Đà Nẵng"}),
    ("Nam Định", NINH_BINH, {"province": "Ninh Bình"}),
    ("gạo Nam Định", ["Gạo sạch Toản Xuân"], {"province": "Ninh Bình"}),
    ("gạo Ninh Bình", ["Gạo sạch Toản Xuân"], {"province": "Ninh Bình"}),
    ("dầu Quảng Nam", [], {"province": "Đà Nẵng", **NO_MATCH}),
    ("TP. Hồ Chí Minh", [], {"province": "Hồ Chí Minh", **NO_MATCH}),
    # 2,000 words: the first ones are searched, and the page says so.
    (LONG_QUERY, RICE, {"capped": "12 từ đầu tiên"}),
]

API_SEARCH = """
query Search($search: String) {
  products(first: 50, channel: "vn", search: $search) { edges { node { name } } }
}
"""
_NOTE = re.compile(r'<p class="(correction|province|capped|no-results)">(.*?)</p>', re.S)
_CARD_NAME = re.compile(r'<span class="card-name">(.*?)</span>', re.S)


def search_answers(queries) -> dict:
    """For each query: the search page's status, listed names and notes, and the API's status
    and listed names (or its errors)."""
    client = Client()
    answers = {}
    for query in queries:
        page = client.get(reverse("storefront:search"), {"q": query})
        text = page.content.decode()
        api = client.post(
            "/graphql/",
            {"query": API_SEARCH, "variables": {"search": query}},
            content_type="application/json",
        ).json()
        answers[query] = {
            "page_status": page.status_code,
            "page": [html.unescape(name.strip()) for name in _CARD_NAME.findall(text)],
            "notes": {kind: html.unescape(words) for kind, words in _NOTE.findall(text)},
            "api": (
                api.get("errors")
                or [edge["node"]["name"] for edge in api["data"]["products"]["edges"]]
            ),
        }
    return answers


def print_search_answers() -> None:
    """`search_answers` of the whole table as one JSON line (for a subprocess)."""
    print(json.dumps(search_answers([query for query, _names, _notes in DEMO_SEARCHES])))


def assert_answers(answer: dict, names: list[str], notes: dict) -> None:
    assert answer["page_status"] == 200
    assert answer["page"] == names
    # The API breaks ties in rank by slug in the sort's direction (descending), the page by name.
    assert isinstance(answer["api"], list), answer["api"]
    assert sorted(answer["api"]) == sorted(names)
    assert set(answer["notes"]) == set(notes), answer["notes"]
    for kind, words in notes.items():
        assert words in answer["notes"][kind], answer["notes"]
