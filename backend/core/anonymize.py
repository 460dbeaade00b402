"""Masking a buyer's contact details for whoever may see an order but not who placed it, as
Saleor's `saleor/core/anonymize.py` does: the first character of each part is kept (three of a
phone number) and the rest become dots, so the buyer still recognises their own order."""

import copy


def obfuscate_string(value, phone: bool = False) -> str:
    if not value:
        return ""
    text = str(value)
    keep = 3 if phone else 1
    return text[:keep] + "." * max(len(text) - keep, 0)


def obfuscate_email(value) -> str:
    text = str(value or "")
    if "@" not in text:
        return obfuscate_string(text)
    local_part, _at, domain = text.rpartition("@")
    return f"{local_part[:1]}...@{domain}"


def obfuscate_address(address):
    """A masked copy of `address` (the loaded instance stays intact for other readers): names,
    company, street and phone; the ward, province and country stay readable."""
    if address is None:
        return None
    masked = copy.copy(address)
    masked.first_name = obfuscate_string(address.first_name)
    masked.last_name = obfuscate_string(address.last_name)
    masked.company_name = obfuscate_string(address.company_name)
    masked.street_address_1 = obfuscate_string(address.street_address_1)
    masked.street_address_2 = obfuscate_string(address.street_address_2)
    masked.phone = obfuscate_string(address.phone, phone=True)
    return masked
