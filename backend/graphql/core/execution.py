from graphql import ExecutionContext as BaseExecutionContext
from graphql.pyutils import Path
from graphql_sync_dataloaders import DeferredExecutionContext, SyncFuture


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

    def handle_field_error(self, error, return_type, path=None):
        # graphql-sync-dataloaders calls this without `path` (graphql-core < 3.2.7 style);
        # rebuild it from the located error so error collection stays per position.
        if path is None:
            for key in error.path or ():
                path = Path(path, key, None)
        return super().handle_field_error(error, return_type, path)
