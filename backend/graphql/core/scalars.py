"""Scalars with Saleor's names."""

import decimal

import graphene
from graphene.types.generic import GenericScalar
from graphql.language import ast


class JSON(GenericScalar):
    """Arbitrary JSON value (Saleor's `JSON` scalar)."""


class Decimal(graphene.Float):
    """Decimal values, parsed exactly (never through float)."""

    @staticmethod
    def parse_literal(node, _variables=None):
        if isinstance(node, ast.FloatValueNode | ast.IntValueNode):
            return decimal.Decimal(node.value)
        if isinstance(node, ast.StringValueNode):
            return Decimal.parse_value(node.value)
        return graphene.types.scalars.Undefined

    @staticmethod
    def parse_value(value):
        try:
            return decimal.Decimal(str(value))
        except decimal.DecimalException:
            return graphene.types.scalars.Undefined

    @staticmethod
    def serialize(value):
        return float(value)


class PositiveDecimal(Decimal):
    """A non-negative decimal."""

    @staticmethod
    def parse_value(value):
        parsed = Decimal.parse_value(value)
        if isinstance(parsed, decimal.Decimal) and parsed < 0:
            return graphene.types.scalars.Undefined
        return parsed

    @staticmethod
    def parse_literal(node, _variables=None):
        parsed = Decimal.parse_literal(node)
        if isinstance(parsed, decimal.Decimal) and parsed < 0:
            return graphene.types.scalars.Undefined
        return parsed


class PositiveInt(graphene.Int):
    """A positive integer (at least 1)."""

    @staticmethod
    def parse_value(value):
        parsed = graphene.Int.parse_value(value)
        if isinstance(parsed, int) and parsed < 1:
            return graphene.types.scalars.Undefined
        return parsed

    @staticmethod
    def parse_literal(node, _variables=None):
        parsed = graphene.Int.parse_literal(node)
        if isinstance(parsed, int) and parsed < 1:
            return graphene.types.scalars.Undefined
        return parsed
