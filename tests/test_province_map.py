"""The shop's province map: built from geodata (former provinces merged into the 34 units, the
East Sea archipelagos drawn with their units), and the committed map the pages draw."""

import re

from backend.ocop.map_build import build_map
from backend.ocop.province_map import province_map
from backend.ocop.provinces import current_units

DA_NANG, KHANH_HOA, NINH_BINH, HA_NOI = "48", "56", "37", "01"


def _xs(path: str) -> list[float]:
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]
    return numbers[0::2]


def _square(west, south, size=1.0):
    ring = [[west, south], [west + size, south], [west + size, south + size], [west, south + size]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def _former(name, west, south):
    return {"properties": {"name": name}, "geometry": _square(west, south)}


def _topology():
    """A quantized TopoJSON (scale 0.01°) with Natural Earth's two features of interest: the
    Spratly Islands, and a country whose islets partly lie in the Paracel box."""

    def arc(west, south, size):
        start = [round(west * 100), round(south * 100)]
        step = round(size * 100)
        return [start, [step, 0], [0, step], [-step, 0], [0, -step]]

    return {
        "transform": {"scale": [0.01, 0.01], "translate": [0, 0]},
        "arcs": [arc(114.0, 10.0, 0.3), arc(112.0, 16.5, 0.02), arc(120.0, 25.0, 2.0)],
        "objects": {
            "countries": {
                "geometries": [
                    {
                        "type": "MultiPolygon",
                        "arcs": [[[0]]],
                        "properties": {"name": "Spratly Is."},
                    },
                    {
                        "type": "MultiPolygon",
                        "arcs": [[[1]], [[2]]],
                        "properties": {"name": "Elsewhere"},
                    },
                ]
            }
        },
    }


def test_former_provinces_are_merged_into_their_current_unit_with_the_archipelagos():
    former = {
        "features": [
            _former("Nam Định", 106.0, 20.0),
            _former("Ninh Bình", 105.0, 20.0),
            _former("Hà Tây", 105.0, 21.0),
            _former("Hà Nội", 106.0, 21.0),
            _former("Đà Nẵng", 108.0, 16.0),
            _former("Khánh Hòa", 109.0, 12.0),
        ]
    }

    document = build_map(former, _topology())

    units = {unit["code"]: unit["d"] for unit in document["units"]}
    assert set(units) == {NINH_BINH, HA_NOI, DA_NANG, KHANH_HOA}
    # Nam Định and Ninh Bình share an edge: one outline, one subpath.
    assert units[NINH_BINH].count("M") == 1
    assert units[HA_NOI].count("M") == 1
    # Hoàng Sa (the islet inside the Paracel box, made big enough to see) belongs to Đà Nẵng,
    # Trường Sa to Khánh Hòa; the other country's land far away is not drawn.
    assert units[DA_NANG].count("M") == 2
    assert units[KHANH_HOA].count("M") == 2
    width = float(document["view_box"].split()[2])
    assert max(_xs(units[KHANH_HOA])) <= width
    assert [label["code"] for label in document["labels"]] == [DA_NANG, KHANH_HOA]


def test_the_committed_map_draws_each_of_the_34_units_and_the_archipelagos():
    drawn = province_map()

    assert sorted(unit.code for unit in drawn.units) == sorted(u.code for u in current_units())
    assert all(unit.d.startswith("M") for unit in drawn.units)
    paths = {unit.code: unit.d for unit in drawn.units}
    mainland_east = max(
        max(_xs(d)) for code, d in paths.items() if code not in (DA_NANG, KHANH_HOA)
    )
    # The archipelagos lie far east of the mainland coast, drawn as part of their units.
    assert max(_xs(paths[DA_NANG])) > mainland_east + 50
    assert max(_xs(paths[KHANH_HOA])) > mainland_east + 100
    assert {label.text for label in drawn.labels} == {"Quần đảo Hoàng Sa", "Quần đảo Trường Sa"}
    # Small enough to draw inline on a phone.
    assert sum(len(d) for d in paths.values()) < 45_000
