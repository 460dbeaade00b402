"""The 34 provincial units in force since 1 July 2025 and the 63 former provinces, read from the
`vietnamadminunits` package (MIT) rather than typed by hand, and the resolution of a province name
as printed on an old certificate or address ("Nam Định", "Tỉnh Quảng Nam", "Quang Nam") to the
unit it belongs to now.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from django.utils.text import slugify
from unidecode import unidecode
from vietnamadminunits import ParseMode, parse_address
from vietnamadminunits.converter.converter_2025 import DICT_PROVINCE
from vietnamadminunits.database import query

from backend.ocop.models import Region

# The package has no regions: the seven socio-economic regions, by current (Decision 19) code.
REGION_BY_CODE = {
    **dict.fromkeys(
        ["04", "08", "11", "12", "14", "15", "19", "20", "25"], Region.NORTHERN_MIDLANDS_MOUNTAINS
    ),
    **dict.fromkeys(["01", "22", "24", "31", "33", "37"], Region.RED_RIVER_DELTA),
    **dict.fromkeys(["38", "40", "42", "44", "46"], Region.NORTH_CENTRAL),
    **dict.fromkeys(["48", "51", "56"], Region.SOUTH_CENTRAL_COAST),
    **dict.fromkeys(["52", "66", "68"], Region.CENTRAL_HIGHLANDS),
    **dict.fromkeys(["75", "79", "80"], Region.SOUTHEAST),
    **dict.fromkeys(["82", "86", "91", "92", "96"], Region.MEKONG_DELTA),
}

_UNITS_SQL = (
    "SELECT DISTINCT provinceCode AS code, provinceShort AS name, provinceKey AS key, "
    "provinceKeywords AS keywords FROM [{table}] ORDER BY provinceCode"
)
_PREFIXES = ("thanhpho", "tinh", "tp")


@dataclass(frozen=True)
class ProvinceUnit:
    code: str
    name: str
    slug: str
    keywords: tuple[str, ...]
    region: str = ""
    current_code: str = ""


def _keywords(raw: str) -> tuple[str, ...]:
    return tuple(re.findall(r'"([a-z0-9]+)"', raw or ""))


@lru_cache(maxsize=1)
def current_units() -> tuple[ProvinceUnit, ...]:
    """The 34 current units: Decision 19/2025 code, short name ("Đà Nẵng"), slug, region."""
    return tuple(
        ProvinceUnit(
            code=row["code"],
            name=row["name"],
            slug=slugify(unidecode(row["name"])),
            keywords=_keywords(row["keywords"]),
            region=REGION_BY_CODE[row["code"]],
            current_code=row["code"],
        )
        for row in query(_UNITS_SQL.format(table="admin_units"))
    )


@lru_cache(maxsize=1)
def legacy_units() -> tuple[ProvinceUnit, ...]:
    """The 63 provinces before the 2025 reform, each with the code of the unit it is part of."""
    code_by_current_key = {
        row["key"]: row["code"] for row in query(_UNITS_SQL.format(table="admin_units"))
    }
    current_code_by_key = {
        legacy_key: code_by_current_key[current_key]
        for current_key, legacy_keys in DICT_PROVINCE.items()
        for legacy_key in legacy_keys
    }
    return tuple(
        ProvinceUnit(
            code=row["code"],
            name=row["name"],
            slug=slugify(unidecode(row["name"])),
            keywords=_keywords(row["keywords"]),
            current_code=current_code_by_key[row["key"]],
        )
        for row in query(_UNITS_SQL.format(table="admin_units_legacy"))
    )


def load_provinces(province_model=None, legacy_model=None) -> None:
    """Create or update all current and legacy units (idempotent). The models are parameters
    so a data migration can pass its historical models."""
    if province_model is None or legacy_model is None:
        from backend.ocop.models import LegacyProvince, Province

        province_model, legacy_model = Province, LegacyProvince
    provinces = {}
    for unit in current_units():
        provinces[unit.code], _ = province_model.objects.update_or_create(
            code=unit.code, defaults={"name": unit.name, "slug": unit.slug, "region": unit.region}
        )
    for unit in legacy_units():
        legacy_model.objects.update_or_create(
            code=unit.code,
            defaults={
                "name": unit.name,
                "slug": unit.slug,
                "current": provinces[unit.current_code],
            },
        )


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", unidecode(text).lower())


@lru_cache(maxsize=1)
def _current_code_by_keyword() -> dict[str, str]:
    index = {}
    for unit in legacy_units() + current_units():  # current names win over former ones
        for keyword in unit.keywords:
            index[keyword] = unit.current_code
    return index


def current_province_code(name_or_code: str) -> str | None:
    """The current unit's code for a current or former province code or name, with or without
    accents or the "Tỉnh"/"Thành phố" prefix; falls back to parsing a full legacy address."""
    text = (name_or_code or "").strip()
    if not text:
        return None
    if text.isdigit():
        code = text.zfill(2)
        for unit in current_units() + legacy_units():
            if unit.code == code:
                return unit.current_code
        return None
    index = _current_code_by_keyword()
    key = _key(text)
    stripped = next((key[len(p) :] for p in _PREFIXES if key.startswith(p)), key)
    for candidate in (key, stripped):
        if candidate in index:
            return index[candidate]
    try:
        parsed = parse_address(text, mode=ParseMode.LEGACY, level=1)
    except Exception:  # the package raises bare errors on text it cannot read
        return None
    return next((u.current_code for u in legacy_units() if parsed.province_code == u.code), None)


def current_province_codes(names_or_codes) -> list[str]:
    """Current codes for slugs, names or codes, former provinces resolving to the unit they
    joined (unknown ones left out)."""
    return sorted({code for code in map(current_province_code, names_or_codes) if code})


def resolve_province(name_or_code: str):
    """The current Province for a current or former name or code, or None."""
    from backend.ocop.models import Province

    code = current_province_code(name_or_code)
    return Province.objects.filter(code=code).first() if code else None


@lru_cache(maxsize=1)
def current_wards() -> dict[str, tuple[tuple[str, str], ...]]:
    """The communes and wards of each current unit: code -> ((full name, short name), ...)."""
    wards: dict[str, list] = {}
    for row in query(
        "SELECT provinceCode AS code, ward, wardShort AS short FROM admin_units ORDER BY wardCode"
    ):
        wards.setdefault(row["code"], []).append((row["ward"], row["short"]))
    return {code: tuple(rows) for code, rows in wards.items()}


def province_named_in(words: list[str]) -> tuple[str, int, int] | None:
    """The current unit's code for the province a normalised query names ("nuoc mam nam dinh"
    → Ninh Bình's), with the span of words naming it, a "tinh"/"thanh pho"/"tp" before the
    name included; None when it names none. One-syllable names ("Huế") are left as words: too often
    part of a product's name."""
    index = _current_code_by_keyword()
    for length in range(min(len(words), 5), 1, -1):  # the longest name first
        for start in range(len(words) - length + 1):
            code = index.get("".join(words[start : start + length]))
            if code is not None:
                before = start - 1 if start and words[start - 1] in ("tp", "tp.") else start
                return code, before, start + length
    return None
