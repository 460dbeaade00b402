"""The demo shop answers searches as a buyer expects, on PostgreSQL (see tests/search_answers.py;
the same table runs on SQLite in tests/test_sqlite_default.py)."""

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.search_answers import DEMO_SEARCHES, assert_answers, search_answers


@pytest.fixture(scope="module")
def demo_catalogue(django_db_setup, django_db_blocker):
    """`populatedb` once for the module, rolled back after it: the seed products of the
    programme's articles, whose answers the table gives (the generated demo products are left
    out; tests/test_demo_data.py searches them)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("populatedb", generated_products=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize(("query", "names", "notes"), DEMO_SEARCHES, ids=lambda v: str(v)[:20])
def test_demo_shop_answers_searches_on_postgresql(demo_catalogue, db, query, names, notes):
    assert_answers(search_answers([query])[query], names, notes)
