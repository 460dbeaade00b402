"""The migrations agree with the models, and the label-only migrations touch no table."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
def test_relabelling_fields_changes_nothing_in_the_database():
    out = io.StringIO()
    call_command("sqlmigrate", "product", "0009_verbose_names", stdout=out)
    statements = [line for line in out.getvalue().splitlines() if not line.startswith("--")]
    assert "Relabel 131 fields" in out.getvalue()
    assert not [line for line in statements if line.strip() not in ("", "BEGIN;", "COMMIT;")]
