"""The map of the 34 provinces the shop draws: SVG path data per current unit, built from
published geodata by `manage.py build_province_map` (backend/ocop/map_build.py) and kept in
`data/province_map.json`, so serving it needs neither the geodata nor shapely."""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MAP_FILE = Path(__file__).with_name("data") / "province_map.json"


@dataclass(frozen=True)
class MapUnit:
    code: str
    d: str


@dataclass(frozen=True)
class MapLabel:
    text: str
    code: str
    x: float
    y: float


@dataclass(frozen=True)
class ProvinceMap:
    view_box: str
    units: tuple[MapUnit, ...]
    labels: tuple[MapLabel, ...]


@lru_cache(maxsize=1)
def province_map() -> ProvinceMap:
    document = json.loads(MAP_FILE.read_text(encoding="utf-8"))
    return ProvinceMap(
        view_box=document["view_box"],
        units=tuple(MapUnit(**unit) for unit in document["units"]),
        labels=tuple(MapLabel(**label) for label in document["labels"]),
    )
