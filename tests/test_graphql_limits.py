"""Protection against abusive queries and Saleor's request-level behaviour."""

import pytest

pytestmark = pytest.mark.django_db


def _nested_categories(depth: int) -> str:
    query = "id"
    for _ in range(depth):
        query = f"children(first: 2) {{ edges {{ node {{ {query} }} }} }}"
    return f'{{ category(slug: "thuc-pham") {{ {query} }} }}'


def test_too_deep_query_is_refused_before_running(
    api_client, category_tree, django_assert_num_queries
):
    with django_assert_num_queries(0):
        result = api_client.execute(_nested_categories(6))
    assert "data" not in result or result["data"] is None
    assert "exceeds maximum operation depth" in result["errors"][0]["message"]


def test_reasonable_depth_is_answered(api_client, category_tree):
    result = api_client.execute(_nested_categories(2))
    assert "errors" not in result
    children = result["data"]["category"]["children"]["edges"]
    assert len(children) == 2  # Nước mắm and Trà
    assert all(edge["node"]["children"]["edges"] == [] for edge in children)


def test_query_cost_counts_page_sizes_from_variables(api_client, settings, catalog):
    settings.GRAPHQL_MAX_COMPLEXITY = 2_000
    query = """
    query ($first: Int) {
      products(first: $first, channel: "vn") {
        edges { node { name slug productVariants(first: 100) { edges { node { id name sku } } } } }
      }
    }"""
    refused = api_client.execute(query, {"first": 100})
    assert refused["errors"][0]["extensions"]["code"] == "QueryCostError"
    assert refused["errors"][0]["extensions"]["exception"]["code"] == "QueryCostError"
    allowed = api_client.execute(query, {"first": 1})
    assert "errors" not in allowed
    assert len(allowed["data"]["products"]["edges"]) == 1


def test_undeclared_variables_are_ignored(api_client, catalog):
    # The storefront's "previous page" path sends variables its operation does not declare.
    result = api_client.execute(
        'query { products(first: 2, channel: "vn") { edges { node { slug } } } }',
        {"before": "abc", "last": 5},
    )
    assert "errors" not in result
    assert len(result["data"]["products"]["edges"]) == 2


def test_page_size_over_the_limit_is_a_clear_error(api_client, catalog):
    result = api_client.execute('{ products(first: 101, channel: "vn") { edges { node { id } } } }')
    assert result["data"]["products"] is None
    message = result["errors"][0]["message"]
    assert "101" in message and "100" in message
    assert result["errors"][0]["extensions"]["exception"]["code"] == "GraphQLError"


def test_unknown_field_is_a_validation_error(api_client, catalog):
    result = api_client.execute('{ products(first: 1, channel: "vn") { edges { node { nope } } } }')
    assert result.get("data") is None
    assert "Cannot query field 'nope' on type 'Product'" in result["errors"][0]["message"]


def test_mutation_over_get_is_refused(client):
    response = client.get("/graphql/", {"query": "mutation { tokenRefresh { token } }"})
    assert response.status_code == 405


# The storefront's search (SearchProducts.graphql, with its ProductListItem fields) at the
# largest page size.
STOREFRONT_SEARCH = """
query SearchProducts($search: String!, $sortBy: ProductOrderField!,
    $sortDirection: OrderDirection!, $first: Int, $after: String, $channel: String!) {
  products(first: $first, after: $after, channel: $channel,
      sortBy: {field: $sortBy, direction: $sortDirection}, search: $search) {
    totalCount
    edges {
      node {
        id name slug
        pricing { priceRange {
          start { gross { amount currency } } stop { gross { amount currency } } } }
        category { id name }
        thumbnail(size: 1024, format: WEBP) { url alt }
      }
      cursor
    }
    pageInfo { endCursor hasNextPage hasPreviousPage startCursor }
  }
}"""
FACETS = 'productFacets(channel: "vn"{args}) {{ stars {{ stars count }} inStock }}'


def _aliased(field: str, count: int) -> str:
    return "{ " + " ".join(f"a{index}: {field}" for index in range(count)) + " }"


@pytest.mark.parametrize(
    "document",
    [
        _aliased(FACETS.format(args=""), 1000),
        _aliased(FACETS.format(args=', search: "nuoc mam"'), 100),
        _aliased(
            'products(first: 1, channel: "vn", search: "tra") { edges { node { id } } }', 1000
        ),
        _aliased('products(first: 1, channel: "vn", filter: {search: "tra"}) { totalCount }', 1000),
    ],
    ids=["facets", "searched-facets", "searches", "filter-searches"],
)
def test_documents_of_many_facets_or_searches_are_refused_up_front(
    api_client, catalog, document, django_assert_num_queries
):
    with django_assert_num_queries(0):
        result = api_client.execute(document)
    assert result["errors"][0]["extensions"]["code"] == "QueryCostError"
    assert "exceeds the maximum cost" in result["errors"][0]["message"]
    assert result.get("data") is None


def test_a_search_filter_in_a_variable_is_priced_too(api_client, catalog):
    document = "query ($f: ProductFilterInput) " + _aliased(
        'products(first: 1, channel: "vn", filter: $f) { totalCount }', 1000
    )
    assert "errors" not in api_client.execute(document, {"f": {"isPublished": True}})
    refused = api_client.execute(document, {"f": {"search": "tra"}})
    assert refused["errors"][0]["extensions"]["code"] == "QueryCostError"


def test_the_storefronts_search_and_facets_still_pass(api_client, catalog):
    variables = {
        "search": "nuoc mam",
        "sortBy": "RANK",
        "sortDirection": "DESC",
        "first": 100,
        "channel": "vn",
    }
    result = api_client.execute(STOREFRONT_SEARCH, variables)
    assert "errors" not in result, result["errors"]
    assert result["data"]["products"]["totalCount"] >= 1
    # A filter panel: the facets of the search and of the whole catalogue.
    facets = api_client.execute(
        "{ searched: "
        + FACETS.format(args=', search: "nuoc mam"')
        + " all: "
        + FACETS.format(args="")
        + " }"
    )
    assert "errors" not in facets, facets["errors"]
