"""Global IDs in the API: the `id` resolver of a type whose ID is its root's primary key. The ids
themselves are the domain's (backend/core/ids.py)."""

from backend.core.ids import global_id


def global_id_resolver(type_name: str):
    """`resolve_id` of a type whose ID is its root's primary key. It reads nothing but the root,
    so the executor runs it on its short path (backend/graphql/core/execution.py)."""

    def resolve_id(root, _info):
        return global_id(type_name, root.pk)

    resolve_id.reads_root_only = True
    return resolve_id
