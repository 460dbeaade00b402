"""Deferred (batched) execution, with a short path for plain fields.

Most fields of a product list are read straight off an object: leaves (`slug`, `alt`, a name,
an amount) and nested objects (a price's `gross`, an attribute assignment's `value`), or, like
`id`, computed from the object alone. Through graphql-core each costs a resolve-info record, an
argument pass, graphene's resolver and the value-completion dispatch.
`ExecutionContext.execute_field` reads such a field (graphene's default resolver or a resolver
marked `reads_root_only`, no arguments) and serializes the leaf, or executes the object's own
fields, directly; every other field, and any plain field that needs an error reported, takes
the full path.
"""

from functools import partial

from graphene.types.resolver import dict_or_attr_resolver
from graphql import ExecutionContext as BaseExecutionContext
from graphql import GraphQLNonNull, is_leaf_type, is_object_type
from graphql.execution.execute import get_field_def
from graphql.pyutils import Path, Undefined
from graphql_sync_dataloaders import DeferredExecutionContext, SyncFuture

# (parent type, field name) -> (attribute, default, root resolver, type, non-null, leaf) or
# None; the schema is built once per process, so its type objects are stable keys.
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
    by_default = isinstance(resolve, partial) and resolve.func is dict_or_attr_resolver
    root_only = getattr(resolve, "reads_root_only", False)
    if (by_default or root_only) and not field_def.args:
        non_null = isinstance(field_def.type, GraphQLNonNull)
        field_type = field_def.type.of_type if non_null else field_def.type
        # An object type that checks what it is given (`is_type_of`) needs the full path.
        plain_object = is_object_type(field_type) and field_type.is_type_of is None
        if is_leaf_type(field_type) or plain_object:
            attname, default = resolve.args if by_default else (None, None)
            root_resolver = resolve if root_only else None
            plan = (attname, default, root_resolver, field_type, non_null, not plain_object)
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
            attname, default, root_resolver, field_type, non_null, leaf = plan
            try:
                if root_resolver is not None:
                    value = root_resolver(source, None)
                elif isinstance(source, dict):
                    value = source.get(attname, default)
                else:
                    value = getattr(source, attname, default)
                if value is None:
                    if not non_null:
                        return None
                elif isinstance(value, SyncFuture):
                    pass
                elif not leaf:
                    fields = self.collect_subfields(field_type, field_nodes)
                    return self.execute_fields(field_type, value, path, fields)
                else:
                    serialized = field_type.serialize(value)
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
