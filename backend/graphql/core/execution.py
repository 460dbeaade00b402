"""Deferred (batched) execution, with a short path for plain fields.

Most fields of a product list are leaves read straight off an object (`slug`, `alt`, a name):
through graphql-core each costs a resolve-info record, an argument pass, graphene's resolver and
the value-completion dispatch. `ExecutionContext.execute_field` reads such a field (a leaf with
graphene's default resolver and no arguments) and serializes it directly, and leaves every other
field, and any plain field that needs an error reported, to the full path.
"""

from functools import partial

from graphene.types.resolver import dict_or_attr_resolver
from graphql import ExecutionContext as BaseExecutionContext
from graphql import GraphQLNonNull, is_leaf_type
from graphql.execution.execute import get_field_def
from graphql.pyutils import Path, Undefined
from graphql_sync_dataloaders import DeferredExecutionContext, SyncFuture

# (parent type, field name) -> (attribute, default, leaf type, non-null) or None; the schema is
# built once per process, so its type objects are stable keys.
_PLAIN_FIELDS: dict = {}


def _plain_field(schema, parent_type, field_node):
    key = (parent_type, field_node.name.value)
    try:
        return _PLAIN_FIELDS[key]
    except KeyError:
        pass
    plan = None
    field_def = get_field_def(schema, parent_type, field_node)
    resolve = field_def.resolve if field_def is not None else None
    if (
        isinstance(resolve, partial)
        and resolve.func is dict_or_attr_resolver
        and not field_def.args
    ):
        non_null = isinstance(field_def.type, GraphQLNonNull)
        leaf_type = field_def.type.of_type if non_null else field_def.type
        if is_leaf_type(leaf_type):
            attname, default = resolve.args
            plan = (attname, default, leaf_type, non_null)
    _PLAIN_FIELDS[key] = plan
    return plan


class ExecutionContext(DeferredExecutionContext):
    """Deferred execution whose pending-dispatch list is shared with the request's loaders,
    so loaders started from inside another loader's callback are dispatched as well."""

    def execute_operation(self, operation, root_value):
        self._deferred_callbacks = callbacks = []
        if self.context_value is not None:
            self.context_value.graphql_deferred_callbacks = callbacks
        result = BaseExecutionContext.execute_operation(self, operation, root_value)
        while callbacks:
            callbacks.pop(0)()
        if isinstance(result, SyncFuture):
            if not result.done():
                raise RuntimeError("GraphQL deferred execution failed to complete.")
            return result.result()
        return result

    def execute_field(self, parent_type, source, field_nodes, path):
        plan = None
        if self.middleware_manager is None:
            plan = _plain_field(self.schema, parent_type, field_nodes[0])
        if plan is not None:
            attname, default, leaf_type, non_null = plan
            try:
                if isinstance(source, dict):
                    value = source.get(attname, default)
                else:
                    value = getattr(source, attname, default)
                if value is None:
                    if not non_null:
                        return None
                elif not isinstance(value, SyncFuture):
                    serialized = leaf_type.serialize(value)
                    if serialized is not Undefined and serialized is not None:
                        return serialized
            except Exception:  # the full path reports it
                pass
        return super().execute_field(parent_type, source, field_nodes, path)

    def handle_field_error(self, error, return_type, path=None):
        # graphql-sync-dataloaders calls this without `path` (graphql-core < 3.2.7 style);
        # rebuild it from the located error so error collection stays per position.
        if path is None:
            for key in error.path or ():
                path = Path(path, key, None)
        return super().handle_field_error(error, return_type, path)
