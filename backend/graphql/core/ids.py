"""Global IDs in the API: the `id` resolver of a type whose ID is its root's primary key.

The ids themselves are the domain's (backend/core/ids.py); the names re-exported here are still
imported from this module by the catalogue's and the checkout's API packages.
"""

from backend.core.ids import (  # noqa: F401
    global_id,
    pk_from_global_id,
    pks_from_global_ids,
    uuid_from_global_id,
)


def global_id_resolver(type_name: str):
    """`resolve_id` of a type whose ID is its root's primary key. It reads nothing but the root,
    so the executor runs it on its short path (backend/graphql/core/execution.py)."""

    def resolve_id(root, _info):
        return global_id(type_name, root.pk)

    resolve_id.reads_root_only = True
    return resolve_id
