"""Migration operations of our own."""

from django.db.migrations import AlterField
from django.db.migrations.operations.base import Operation
from django.db.models import NOT_PROVIDED


class RelabelFields(Operation):
    """Field changes that only touch labels (verbose name, help text, choices) and so nothing in
    the database, applied to the migration state in one step.

    Done as separate `AlterField`s, each re-renders its models, and the translation migrations'
    five hundred of them made a fresh `migrate` take half a minute; this renders once.
    """

    reduces_to_sql = True  # to nothing
    reversible = True

    def __init__(self, fields: list[AlterField]):
        self.fields = fields

    def deconstruct(self):
        return self.__class__.__qualname__, [self.fields], {}

    def state_forwards(self, app_label, state):
        changed = set()
        for operation in self.fields:
            field = operation.field
            if not operation.preserve_default:
                field = field.clone()
                field.default = NOT_PROVIDED
            key = (app_label, operation.model_name_lower)
            state.models[key].fields[operation.name] = field
            changed.add(key)
        if changed:
            state.reload_models(sorted(changed), delay=False)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        """Labels live in the code only."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        """Labels live in the code only."""

    def describe(self):
        return f"Relabel {len(self.fields)} fields"
