"""Mutation base with Saleor's contract: permission check, input validation, `errors` in the
payload, and an all-or-nothing transaction (a failed mutation changes nothing)."""

import graphene
from django.core.exceptions import ValidationError
from django.db import transaction

from backend.graphql.core.permissions import require_permissions


class BaseMutation(graphene.Mutation):
    """Subclasses name their error type in Meta (`error_type_class`; the `errors` field of that
    type is added for them) and implement `perform_mutation`; raising ValidationError(s) there
    rolls everything back and turns each message into `{field, code, message}`."""

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(
        cls, permissions=(), error_type_class=None, error_type_field="errors", _meta=None, **options
    ):
        if _meta is None:
            _meta = graphene.types.mutation.MutationOptions(cls)
        _meta.permissions = permissions
        _meta.error_type_class = error_type_class
        _meta.error_type_field = error_type_field
        if error_type_class is not None and not hasattr(cls, error_type_field):
            setattr(
                cls,
                error_type_field,
                graphene.List(graphene.NonNull(error_type_class), required=True),
            )
        super().__init_subclass_with_meta__(_meta=_meta, **options)

    @classmethod
    def check_permissions(cls, info, **data):
        require_permissions(info, cls._meta.permissions)

    @classmethod
    def mutate(cls, root, info, **data):
        cls.check_permissions(info, **data)
        try:
            with transaction.atomic():
                return cls.perform_mutation(root, info, **data)
        except ValidationError as error:
            return cls.handle_errors(error)

    @classmethod
    def perform_mutation(cls, root, info, **data):
        """Do the work and return the payload; every subclass defines it."""
        raise NotImplementedError

    @classmethod
    def handle_errors(cls, error: ValidationError, **extra):
        errors = validation_error_to_error_list(error, cls._meta.error_type_class)
        return cls(**{cls._meta.error_type_field: errors, **extra})


def validation_error_to_error_list(error: ValidationError, error_type_class) -> list:
    errors = []
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            for err in field_errors:
                errors.append(
                    _to_error(None if field == "__all__" else field, err, error_type_class)
                )
    else:
        for err in error.error_list:
            errors.append(_to_error(None, err, error_type_class))
    return errors


def _to_error(field, err: ValidationError, error_type_class):
    message = err.messages[0] if err.messages else str(err)
    code = (err.code or "invalid").upper()
    extra = {}
    if err.params:
        extra = {k: v for k, v in err.params.items() if k in error_type_class._meta.fields}
    return error_type_class(field=_camel(field), message=message, code=code, **extra)


def _camel(field):
    if not field:
        return field
    head, *rest = field.split("_")
    return head + "".join(part.title() for part in rest)
