"""Build the shop's map of the 34 provinces from published geodata, not traced by hand.

Sources (downloaded by `manage.py build_province_map` with `npm pack`, pinned):
- the former provinces' outlines: amCharts geodata `vietnamHigh` (free linkware licence; the shop
  credits it under the map);
- the East Sea archipelagos, which that file leaves out: Natural Earth 1:10m (public domain) as
  published by `world-atlas` — Trường Sa is its own feature there, Hoàng Sa the islets inside
  the Paracel box of another country's multipolygon.

Each former province is resolved to the unit it joined on 1 July 2025 (the same resolution as
certificates and addresses use), the outlines of a unit are merged, simplified and projected to
SVG path data; Hoàng Sa belongs to Đà Nẵng and Trường Sa to Khánh Hòa.
"""

import json
import math
from pathlib import Path

from backend.ocop.provinces import current_province_code

AMCHARTS_PACKAGE = "@amcharts/amcharts5-geodata@5.1.6"
WORLD_ATLAS_PACKAGE = "world-atlas@2.0.2"
AMCHARTS_FILE = "package/json/vietnamHigh.json"
WORLD_ATLAS_FILE = "package/countries-10m.json"

# Hà Tây joined Hà Nội in 2008; the geodata still draws it.
MERGED_BEFORE_2025 = {"Hà Tây": "01"}
DA_NANG, KHANH_HOA = "48", "56"
PARACEL_BOX = (111.0, 15.5, 113.0, 17.5)  # lon/lat: west, south, east, north
ARCHIPELAGOS = (
    # (label, unit, the geodata's source)
    ("Quần đảo Hoàng Sa", DA_NANG, "paracel"),
    ("Quần đảo Trường Sa", KHANH_HOA, "spratly"),
)

WIDTH = 600.0  # SVG user units across the map
SIMPLIFY_DEGREES = 0.012  # about 1.3 km: keeps the coast recognisable at phone size
ISLAND_MIN_DEGREES = 0.1  # islets are drawn at least this wide to be seen and tapped
CENTRAL_LATITUDE = 16.0
LABEL_HALF_WIDTH = 80.0  # half of "Quần đảo Trường Sa" at the map's 13 px


def _topojson_features(topology: dict, object_name: str) -> list[dict]:
    """The GeoJSON-like features of one object of a quantized TopoJSON file."""
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)

    def ring(indexes):
        points = []
        for index in indexes:
            part = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
            points.extend(part if not points else part[1:])
        return points

    features = []
    for geometry in topology["objects"][object_name]["geometries"]:
        polygons = geometry.get("arcs", [])
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        features.append(
            {
                "name": geometry.get("properties", {}).get("name"),
                "polygons": [[ring(part) for part in polygon] for polygon in polygons],
            }
        )
    return features


def _shape(polygons):
    from shapely.geometry import MultiPolygon, Polygon

    return MultiPolygon(
        [Polygon(rings[0], rings[1:]) for rings in polygons if len(rings[0]) >= 4]
    ).buffer(0)


def archipelago_shapes(world_atlas: dict) -> dict:
    """{"paracel": shape, "spratly": shape} from Natural Earth's countries."""
    from shapely.geometry import box

    features = _topojson_features(world_atlas, "countries")
    spratly = next(f for f in features if f["name"] == "Spratly Is.")
    paracel_box = box(*PARACEL_BOX)
    paracel = [
        polygon
        for feature in features
        for polygon in feature["polygons"]
        if polygon and _shape([polygon]).within(paracel_box)
    ]
    return {"paracel": _shape(paracel), "spratly": _shape(spratly["polygons"])}


def unit_shapes(former_provinces: dict, archipelagos: dict) -> dict:
    """{current code: merged shape} from the former provinces' GeoJSON and the archipelagos."""
    from shapely.ops import unary_union

    parts: dict[str, list] = {}
    for feature in former_provinces["features"]:
        name = feature["properties"]["name"]
        code = MERGED_BEFORE_2025.get(name) or current_province_code(name)
        if code is None:
            raise ValueError(f"no current unit for the former province {name!r}")
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        parts.setdefault(code, []).append(_shape(polygons))
    for _label, code, source in ARCHIPELAGOS:
        islets = archipelagos[source]
        visible = [
            islet
            if max(_size(islet)) >= ISLAND_MIN_DEGREES
            else islet.buffer(ISLAND_MIN_DEGREES / 2)
            for islet in getattr(islets, "geoms", [islets])
        ]
        parts[code].append(unary_union(visible))
    return {code: unary_union(shapes) for code, shapes in parts.items()}


def _size(shape) -> tuple[float, float]:
    west, south, east, north = shape.bounds
    return east - west, north - south


class _Projection:
    """Equirectangular, shrunk east-west by the cosine of the central latitude, north up."""

    def __init__(self, bounds):
        west, south, east, north = bounds
        self.squash = math.cos(math.radians(CENTRAL_LATITUDE))
        self.west, self.north = west, north
        self.scale = WIDTH / ((east - west) * self.squash)
        self.height = (north - south) * self.scale

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.west) * self.squash * self.scale, (self.north - lat) * self.scale


def _path(shape, project) -> str:
    commands = []
    for polygon in getattr(shape, "geoms", [shape]):
        for ring in (polygon.exterior, *polygon.interiors):
            points = [project(lon, lat) for lon, lat in ring.coords[:-1]]
            if len(points) < 3:
                continue
            head, *rest = (f"{x:.1f} {y:.1f}" for x, y in points)
            commands.append(f"M{head}L{' '.join(rest)}Z")
    return "".join(commands)


def build_map(former_provinces: dict, world_atlas: dict) -> dict:
    """The map document `backend/ocop/province_map.py` reads."""
    from shapely.ops import unary_union

    archipelagos = archipelago_shapes(world_atlas)
    units = {
        code: shape.simplify(SIMPLIFY_DEGREES, preserve_topology=True)
        for code, shape in unit_shapes(former_provinces, archipelagos).items()
    }
    west, south, east, north = unary_union(list(units.values())).bounds
    margin = 0.2
    project = _Projection((west - margin, south - margin, east + margin, north + margin))
    labels = []
    for label, code, source in ARCHIPELAGOS:
        west_i, south_i, east_i, north_i = archipelagos[source].bounds
        x, y = project((west_i + east_i) / 2, north_i)
        x = min(x, WIDTH - LABEL_HALF_WIDTH)  # a centred label stays inside the map
        labels.append({"text": label, "code": code, "x": round(x, 1), "y": round(y - 6, 1)})
    return {
        "view_box": f"0 0 {WIDTH:.0f} {project.height:.0f}",
        "sources": [AMCHARTS_PACKAGE, WORLD_ATLAS_PACKAGE],
        "units": [{"code": code, "d": _path(units[code], project)} for code in sorted(units)],
        "labels": labels,
    }


def read_package_file(tarball: Path, member: str) -> dict:
    import tarfile

    with tarfile.open(tarball) as archive:
        return json.load(archive.extractfile(member))
