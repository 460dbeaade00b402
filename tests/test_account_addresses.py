"""The address book: Vietnamese two-tier validation (province -> ward), Saleor's address
mutations, and one customer never touching another's addresses."""

import pytest

from backend.account.models import Address, User
from backend.core.ids import global_id
from tests.fixtures.accounts import PASSWORD, access_token_for

pytestmark = pytest.mark.django_db

CREATE = """
mutation userAddressCreate($address: AddressInput!, $type: AddressTypeEnum) {
  accountAddressCreate(input: $address, type: $type) {
    address { id city countryArea phone country { code country } }
    user { defaultShippingAddress { id } defaultBillingAddress { id } }
    errors { field message code }
  }
}
"""
UPDATE = """
mutation AccountAddressUpdate($id: ID!, $input: AddressInput!) {
  accountAddressUpdate(id: $id, input: $input) {
    address { city streetAddress1 } errors { field code }
  }
}
"""
DELETE = """
mutation AccountAddressDelete($id: ID!) {
  accountAddressDelete(id: $id) { address { id } user { addresses { id } } errors { field code } }
}
"""
SET_DEFAULT = """
mutation AccountSetDefaultAddress($id: ID!, $type: AddressTypeEnum!) {
  accountSetDefaultAddress(id: $id, type: $type) {
    user { defaultBillingAddress { id } } errors { field code }
  }
}
"""
RULES = """
query addressValidationRules($countryCode: CountryCode!, $countryArea: String) {
  addressValidationRules(countryCode: $countryCode, countryArea: $countryArea) {
    addressFormat allowedFields requiredFields countryAreaType postalCodeType cityType
    countryAreaChoices { raw verbose }
    cityChoices { raw verbose }
  }
}
"""
HANOI = {
    "firstName": "Lan",
    "lastName": "Nguyễn",
    "streetAddress1": "15 Tràng Tiền",
    "city": "ba dinh",
    "countryArea": "Hà Nội",
    "country": "VN",
    "phone": "0912 345 678",
}


def create(api_client, token, address=HANOI, type=None):
    result = api_client.execute(CREATE, {"address": address, "type": type}, token)
    return result["data"]["accountAddressCreate"]


def test_vietnam_rules_list_the_34_provinces_and_a_provinces_wards(api_client):
    rules = api_client.execute(RULES, {"countryCode": "VN"})["data"]["addressValidationRules"]
    provinces = [choice["raw"] for choice in rules["countryAreaChoices"]]
    assert len(provinces) == 34
    assert "Thành phố Hà Nội" in provinces and "Tỉnh Bắc Ninh" in provinces
    assert "Tỉnh Bình Dương" not in provinces  # merged into Hồ Chí Minh City in 2025
    assert rules["cityChoices"] == []
    assert set(rules["requiredFields"]) == {"streetAddress1", "city", "countryArea"}

    with_area = api_client.execute(RULES, {"countryCode": "VN", "countryArea": "Hà Nội"})
    wards = [c["raw"] for c in with_area["data"]["addressValidationRules"]["cityChoices"]]
    assert "Phường Ba Đình" in wards and "Phường Hoàn Kiếm" in wards
    assert "Phường Sài Gòn" not in wards


def test_vietnam_rules_name_the_form_fields_as_the_api_does(api_client):
    """The storefront renders the inputs listed in `allowedFields` by their API name: street,
    ward and province must be among them, and nothing is required that the form hides."""
    rules = api_client.execute(RULES, {"countryCode": "VN"})["data"]["addressValidationRules"]
    assert rules["allowedFields"] == [
        "name",
        "companyName",
        "streetAddress1",
        "streetAddress2",
        "city",
        "countryArea",
        "postalCode",
    ]
    assert set(rules["requiredFields"]) <= set(rules["allowedFields"])
    assert (rules["countryAreaType"], rules["cityType"]) == ("province", "ward")
    assert "postalCode" not in rules["requiredFields"]


def test_former_province_lists_the_wards_of_the_unit_it_joined(api_client):
    rules = api_client.execute(RULES, {"countryCode": "VN", "countryArea": "Nam Định"})
    wards = [c["raw"] for c in rules["data"]["addressValidationRules"]["cityChoices"]]
    assert "Phường Nam Định" in wards


def test_address_in_a_former_province_is_stored_in_the_current_one(
    api_client, customer_user, customer_token
):
    address = {**HANOI, "countryArea": "Tỉnh Nam Định", "city": "Phường Nam Định"}
    created = create(api_client, customer_token, address)
    assert created["errors"] == []
    assert created["address"]["countryArea"] == "Tỉnh Ninh Bình"
    assert created["address"]["city"] == "Phường Nam Định"


def test_other_countries_get_basic_rules(api_client):
    rules = api_client.execute(RULES, {"countryCode": "DE"})["data"]["addressValidationRules"]
    assert rules["countryAreaChoices"] == []
    assert set(rules["requiredFields"]) == {"streetAddress1", "city"}


def test_create_vietnamese_address_is_normalised(api_client, customer_user, customer_token):
    result = create(api_client, customer_token, type="SHIPPING")
    assert result["errors"] == []
    address = result["address"]
    assert address["city"] == "Phường Ba Đình"
    assert address["countryArea"] == "Thành phố Hà Nội"
    assert address["phone"] == "+84912345678"
    assert address["country"]["code"] == "VN"
    assert result["user"]["defaultShippingAddress"] == {"id": address["id"]}
    assert result["user"]["defaultBillingAddress"] is None


def test_unknown_province_is_invalid_on_country_area(api_client, customer_user, customer_token):
    result = create(api_client, customer_token, {**HANOI, "countryArea": "Atlantis"})
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("countryArea", "INVALID")]
    assert "Atlantis" in result["errors"][0]["message"]
    assert Address.objects.count() == 0


def test_ward_of_another_province_is_invalid_on_city(api_client, customer_user, customer_token):
    result = create(api_client, customer_token, {**HANOI, "city": "Phường Sài Gòn"})
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("city", "INVALID")]
    assert Address.objects.count() == 0


def test_missing_fields_are_required(api_client, customer_user, customer_token):
    result = create(api_client, customer_token, {"country": "VN", "phone": "abc"})
    assert sorted((e["field"], e["code"]) for e in result["errors"]) == [
        ("city", "REQUIRED"),
        ("countryArea", "REQUIRED"),
        ("phone", "INVALID"),
        ("streetAddress1", "REQUIRED"),
    ]


def test_foreign_address_needs_only_basic_fields(api_client, customer_user, customer_token):
    address = {"streetAddress1": "Unter den Linden 1", "city": "Berlin", "country": "DE"}
    result = create(api_client, customer_token, address)
    assert result["errors"] == []
    assert result["address"]["country"]["code"] == "DE"


def test_update_validates_the_whole_address(api_client, customer_user, customer_token):
    address_id = create(api_client, customer_token)["address"]["id"]
    moved = api_client.execute(
        UPDATE, {"id": address_id, "input": {"city": "Phường Hoàn Kiếm"}}, customer_token
    )["data"]["accountAddressUpdate"]
    assert moved == {
        "address": {"city": "Phường Hoàn Kiếm", "streetAddress1": "15 Tràng Tiền"},
        "errors": [],
    }
    wrong = api_client.execute(
        UPDATE, {"id": address_id, "input": {"city": "Phường Sài Gòn"}}, customer_token
    )["data"]["accountAddressUpdate"]
    assert wrong["errors"] == [{"field": "city", "code": "INVALID"}]
    assert Address.objects.get().city == "Phường Hoàn Kiếm"


def test_set_default_and_delete(api_client, customer_user, customer_token):
    address_id = create(api_client, customer_token)["address"]["id"]
    result = api_client.execute(SET_DEFAULT, {"id": address_id, "type": "BILLING"}, customer_token)[
        "data"
    ]["accountSetDefaultAddress"]
    assert result == {"user": {"defaultBillingAddress": {"id": address_id}}, "errors": []}

    deleted = api_client.execute(DELETE, {"id": address_id}, customer_token)
    assert deleted["data"]["accountAddressDelete"] == {
        "address": {"id": address_id},
        "user": {"addresses": []},
        "errors": [],
    }
    customer_user.refresh_from_db()
    assert customer_user.default_billing_address is None


@pytest.fixture
def other_users_address(db):
    other = User.objects.create_user("hang-xom@example.com", PASSWORD)
    address = Address.objects.create(
        street_address_1="1 Bạch Đằng", city="Phường Hải Châu", country_area="Thành phố Đà Nẵng"
    )
    other.addresses.add(address)
    return address


@pytest.mark.parametrize(
    ("document", "variables"),
    [
        (UPDATE, {"input": {"streetAddress1": "Đã bị sửa"}}),
        (DELETE, {}),
        (SET_DEFAULT, {"type": "SHIPPING"}),
    ],
)
def test_another_users_address_is_not_found(
    api_client, customer_user, customer_token, other_users_address, document, variables
):
    variables = {**variables, "id": global_id("Address", other_users_address.pk)}
    result = api_client.execute(document, variables, customer_token)
    payload = next(iter(result["data"].values()))
    assert payload["errors"] == [{"field": "id", "code": "NOT_FOUND"}]
    other_users_address.refresh_from_db()
    assert other_users_address.street_address_1 == "1 Bạch Đằng"
    customer_user.refresh_from_db()
    assert customer_user.default_shipping_address is None


def test_address_mutations_need_a_signed_in_user(api_client, db):
    result = api_client.execute(CREATE, {"address": HANOI})
    assert result["data"]["accountAddressCreate"] is None
    assert result["errors"][0]["extensions"]["code"] == "PermissionDenied"


def test_customer_id_needs_manage_users(api_client, customer_user, customer_token, db):
    other = User.objects.create_user("khac@example.com", PASSWORD)
    result = api_client.execute(
        "mutation ($c: ID, $a: AddressInput!) { accountAddressCreate(customerId: $c, input: $a)"
        " { errors { code } } }",
        {"c": global_id("User", other.pk), "a": HANOI},
        customer_token,
    )
    assert result["errors"][0]["extensions"]["code"] == "PermissionDenied"
    assert other.addresses.count() == 0


def test_me_with_addresses_costs_a_bounded_number_of_queries(
    api_client, customer_user, django_assert_max_num_queries
):
    for number in range(20):
        address = Address.objects.create(
            street_address_1=f"{number} Lê Lợi", city="Phường Bến Thành"
        )
        customer_user.addresses.add(address)
    customer_user.default_shipping_address = address
    customer_user.default_billing_address = address
    customer_user.save()
    token = access_token_for(customer_user)
    query = """{ me { email addresses { id city country { code } }
                 defaultShippingAddress { id } defaultBillingAddress { city } } }"""
    with django_assert_max_num_queries(4):
        result = api_client.execute(query, token=token)
    assert len(result["data"]["me"]["addresses"]) == 20


@pytest.mark.parametrize(
    ("accept_language", "message"),
    [
        ("en-US,en;q=0.9", "No province or city named “Atlantis”."),
        ("vi-VN,vi;q=0.9,en;q=0.5", "Không tìm thấy tỉnh/thành phố “Atlantis”."),
        ("", "Không tìm thấy tỉnh/thành phố “Atlantis”."),
    ],
)
def test_error_messages_follow_the_requests_language(
    client, customer_user, customer_token, accept_language, message
):
    """The storefront asks in the buyer's language; without one the shop speaks Vietnamese."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {customer_token}"}
    if accept_language:
        headers["HTTP_ACCEPT_LANGUAGE"] = accept_language
    response = client.post(
        "/graphql/",
        {"query": CREATE, "variables": {"address": {**HANOI, "countryArea": "Atlantis"}}},
        content_type="application/json",
        **headers,
    )
    errors = response.json()["data"]["accountAddressCreate"]["errors"]
    assert errors == [{"field": "countryArea", "message": message, "code": "INVALID"}]
    assert response.headers["Content-Language"] == (accept_language[:2] or "vi")
