from enum import Enum


class OrderErrorCode(Enum):
    """Saleor's order error codes (the GraphQL enum of the same name)."""

    CANNOT_CANCEL_ORDER = "cannot_cancel_order"
    DUPLICATED_INPUT_ITEM = "duplicated_input_item"
    FULFILL_ORDER_LINE = "fulfill_order_line"
    GRAPHQL_ERROR = "graphql_error"
    INSUFFICIENT_STOCK = "insufficient_stock"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    TRANSACTION_ERROR = "transaction_error"
    ZERO_QUANTITY = "zero_quantity"
