import pytest
from django.core.cache import cache
from django.test import Client

from backend.celery import app as celery_app
from backend.product.vocabulary import VOCABULARY_KEY, forget_local_copy

pytest_plugins = [
    "tests.fixtures.catalog",
    "tests.fixtures.accounts",
    "tests.fixtures.content",
    "tests.fixtures.staff",
    "tests.fixtures.checkout",
    "tests.fixtures.payment",
    "tests.fixtures.browser",
    "tests.fixtures.search",
    "tests.fixtures.webhooks",
    "tests.fixtures.producers",
    "tests.fixtures.marketplaces",
]


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    """Celery tasks run eagerly inside the test (Redis is the broker in the test settings, but
    no worker listens); tests of a real worker on Redis start one themselves."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_search_vocabulary():
    """Each test's searches correct typos towards its own products' words only."""
    cache.delete(VOCABULARY_KEY)
    forget_local_copy()


@pytest.fixture(autouse=True)
def _no_sign_in_delays_left():
    """Sign-in, reset and registration limits live in the shared cache; each test starts
    with none (nor a password-reset lock left by an earlier run's user of the same id)."""
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("throttle:*")
        cache.delete_pattern("account:password-reset:*")
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _no_catalogue_cache(settings):
    """Tests read lists as the database has them; tests of the catalogue cache turn it on."""
    settings.CATALOGUE_CACHE_SECONDS = 0


@pytest.fixture
def api_client():
    return GraphQLClient()


class GraphQLClient:
    """Posts GraphQL documents to /graphql/ as a storefront would, optionally with a JWT."""

    def __init__(self):
        self.client = Client()
        self.token = None

    def execute(self, query, variables=None, token=None):
        headers = {}
        token = token or self.token
        if token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        response = self.client.post(
            "/graphql/",
            {"query": query, "variables": variables or {}},
            content_type="application/json",
            **headers,
        )
        return response.json()
