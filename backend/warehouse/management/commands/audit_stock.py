"""`manage.py audit_stock`: list every stock inconsistency; exit status 1 when any is found."""

from django.core.management.base import BaseCommand, CommandError

from backend.warehouse.audit import audit_stock


class Command(BaseCommand):
    help = (
        "Check the stock invariants: rows within bounds, allocations adding up, every hold "
        "owned, the change outbox drained."
    )

    def handle(self, *args, **options):
        problems = audit_stock()
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} stock inconsistencies found.")
        self.stdout.write(self.style.SUCCESS("Stock is consistent."))
