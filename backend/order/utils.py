from django.db import connection
from django.db.models import Max

FIRST_ORDER_NUMBER = 10001


def next_order_number() -> int:
    """A new order number. PostgreSQL hands them out from a sequence, so concurrent checkouts
    never wait on each other for it; on SQLite writes are serialised anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval('order_number_seq')")
            return cursor.fetchone()[0]
    from backend.order.models import Order

    last = Order.objects.aggregate(last=Max("number"))["last"]
    return (last or FIRST_ORDER_NUMBER - 1) + 1
