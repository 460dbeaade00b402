"""The embedded default (SQLite, local memory cache, tasks in process) as `make run` sets it up:
its demo shop searches as the PostgreSQL one does — without accents, best first, past typos."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.search_answers import DEMO_SEARCHES, assert_answers

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")

# Run by `manage.py shell -c` with QUERIES replaced: the storefront's search page per query.
SEARCH_PAGES = """
import json
from django.test import Client
from django.urls import reverse
client = Client()
pages = {q: client.get(reverse("storefront:search"), {"q": q}) for q in QUERIES}
print(json.dumps({q: [r.status_code, r.content.decode()] for q, r in pages.items()}))
"""


@pytest.fixture(scope="module")
def demo_shop(tmp_path_factory):
    directory = tmp_path_factory.mktemp("sqlite-shop")
    env = {name: value for name, value in os.environ.items() if name not in SERVICES}
    env |= {"SQLITE_NAME": str(directory / "db.sqlite3"), "MEDIA_ROOT": str(directory / "media")}
    # The seed products, whose answers tests/search_answers.py tabulates.
    for command in (["migrate", "--noinput"], ["populatedb", "--generated-products", "0"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    return env


def test_demo_shop_on_sqlite_searches_without_accents_and_past_typos(demo_shop):
    script = SEARCH_PAGES.replace("QUERIES", repr(["dau lac", "dau lca", "gao ai nghia"]))
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=demo_shop,
        check=True,
        capture_output=True,
        text=True,
    )
    pages = json.loads(result.stdout.strip().splitlines()[-1])
    assert all(status == 200 for status, _ in pages.values())
    for query in ("dau lac", "dau lca"):  # as typed, and with two letters swapped
        page = pages[query][1]
        assert "Dầu lạc nguyên chất An Nhiên" in page, query
        assert "Dầu vừng nguyên chất An Nhiên" not in page, query
    assert "Kết quả cho “dau lac”" in pages["dau lca"][1]
    assert "Gạo an toàn Ái Nghĩa" in pages["gao ai nghia"][1]
    assert "Gạo sạch Toản Xuân" not in pages["gao ai nghia"][1]


@pytest.fixture(scope="module")
def sqlite_search_answers(demo_shop):
    """The demo shop's answers to the whole table of tests/search_answers.py, in one run."""
    script = "from tests.search_answers import print_search_answers; print_search_answers()"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=demo_shop,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(("query", "names", "notes"), DEMO_SEARCHES, ids=lambda v: str(v)[:20])
def test_demo_shop_answers_searches_on_sqlite(sqlite_search_answers, query, names, notes):
    assert_answers(sqlite_search_answers[query], names, notes)
