from celery import shared_task

from backend.warehouse.services import delete_expired_reservations


@shared_task
def delete_expired_reservations_task() -> int:
    """Expired holds already count for nothing; this only keeps the table small."""
    return delete_expired_reservations()
