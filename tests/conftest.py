import pytest
from django.test import Client

pytest_plugins = [
    "tests.fixtures.catalog",
    "tests.fixtures.accounts",
    "tests.fixtures.content",
    "tests.fixtures.staff",
    "tests.fixtures.checkout",
]



@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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
