"""Readying a long-running server process (WSGI worker) before it takes requests.

Django, its apps, the URLconf and the GraphQL schema leave some 200,000 long-lived objects in
the heap. CPython's cycle collector walks all of them in every full collection, and a product
list allocates enough container objects to trigger several collections per request, so a full
one lands inside a random request and costs it tens of milliseconds. Loading everything once,
then moving that heap out of the collector's sight (`gc.freeze()`, which CPython's docs advise
for pre-forking servers), leaves collections only the objects of requests to walk; collecting
the youngest generation less often cuts their number. Cycles are still collected.
"""

import gc

from django.urls import get_resolver
from graphene_django.settings import graphene_settings

# Net container allocations between two collections of the youngest generation (CPython's
# default is 700: several collections for every product list a buyer opens).
YOUNG_COLLECTION_THRESHOLD = 20_000


def prepare_server_process() -> None:
    """Load the URLconf and the GraphQL schema, then freeze the start-up heap."""
    get_resolver().url_patterns  # noqa: B018  (imports every view)
    graphene_settings.SCHEMA  # noqa: B018  (builds the schema the API view uses)
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, oldest)
