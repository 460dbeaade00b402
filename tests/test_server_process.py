"""The WSGI entry point readies each server process before its first request."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import gc, sys
import backend.wsgi
print(gc.get_freeze_count(), gc.get_threshold()[0], "backend.graphql.api" in sys.modules)
"""


def test_wsgi_loads_the_schema_and_freezes_the_start_up_heap():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    frozen, young_threshold, schema_loaded = result.stdout.split()
    # Everything loaded at start-up is out of the cycle collector's walks...
    assert int(frozen) > 50_000
    # ...young objects are collected less often than CPython's default of 700...
    assert int(young_threshold) > 700
    # ...and the first request does not build the schema.
    assert schema_loaded == "True"
