"""Attaching a checkout to a signed-in customer and back, and Saleor's metadata mutations with
their permissions."""

import pytest
from django.contrib.auth.models import Permission

from backend.account.models import User
from backend.core.ids import global_id
from tests.fixtures.accounts import PASSWORD, access_token_for
from tests.test_checkout_flow import ERRORS, QUERY, run

pytestmark = pytest.mark.django_db

ATTACH = f"""
mutation Attach($id: ID, $customerId: ID) {{
  checkoutCustomerAttach(id: $id, customerId: $customerId) {{
    checkout {{ email user {{ email }} }} {ERRORS}
  }}
}}
"""
DETACH = f"""
mutation Detach($id: ID) {{
  checkoutCustomerDetach(id: $id) {{ checkout {{ email user {{ email }} }} {ERRORS} }}
}}
"""
UPDATE_METADATA = """
mutation Meta($id: ID!, $input: [MetadataInput!]!) {
  updateMetadata(id: $id, input: $input) {
    item { __typename metadata { key value } }
    errors { field code message }
  }
}
"""
DELETE_METADATA = """
mutation Meta($id: ID!, $keys: [String!]!) {
  deleteMetadata(id: $id, keys: $keys) {
    item { __typename metadata { key value } }
    errors { field code message }
  }
}
"""
UPDATE_PRIVATE_METADATA = """
mutation Meta($id: ID!, $input: [MetadataInput!]!) {
  updatePrivateMetadata(id: $id, input: $input) {
    item { __typename privateMetadata { key value } }
    errors { field code message }
  }
}
"""


def denied(response):
    return response["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def test_customer_attaches_a_guest_checkout_and_detaches_it(
    api_client, checkout, customer_user, customer_token
):
    checkout_id = global_id("Checkout", checkout.pk)

    attached = run(
        api_client, ATTACH, {"id": checkout_id}, "checkoutCustomerAttach", customer_token
    )
    assert attached["checkout"] == {
        "email": customer_user.email,
        "user": {"email": customer_user.email},
    }
    # Now it is theirs: another signed-in customer can neither take it nor give it up.
    other = access_token_for(User.objects.create_user("khac@example.com", PASSWORD))
    assert denied(api_client.execute(ATTACH, {"id": checkout_id}, token=other))
    assert denied(api_client.execute(DETACH, {"id": checkout_id}, token=other))

    detached = run(
        api_client, DETACH, {"id": checkout_id}, "checkoutCustomerDetach", customer_token
    )
    assert detached["checkout"]["user"] is None
    assert run(api_client, QUERY, {"id": checkout_id}, "checkout")["id"] == checkout_id


def test_attach_needs_a_signed_in_user_and_staff_for_someone_else(
    api_client, checkout, customer_user, customer_token
):
    checkout_id = global_id("Checkout", checkout.pk)

    assert denied(api_client.execute(ATTACH, {"id": checkout_id}))
    assert denied(api_client.execute(DETACH, {"id": checkout_id}))
    response = api_client.execute(
        ATTACH,
        {"id": checkout_id, "customerId": global_id("User", customer_user.pk)},
        token=customer_token,
    )
    assert denied(response)
    checkout.refresh_from_db()
    assert checkout.user is None


def test_someone_elses_checkout_cannot_be_taken_over(
    api_client, checkout, customer_user, staff_user, staff_token
):
    checkout.user = customer_user
    checkout.save()

    response = api_client.execute(
        ATTACH, {"id": global_id("Checkout", checkout.pk)}, token=staff_token
    )

    assert denied(response)
    checkout.refresh_from_db()
    assert checkout.user == customer_user


def test_guest_updates_and_deletes_checkout_metadata(api_client, checkout):
    checkout_id = global_id("Checkout", checkout.pk)

    updated = run(
        api_client,
        UPDATE_METADATA,
        {"id": checkout_id, "input": [{"key": "gift_note", "value": "Chúc mừng năm mới"}]},
        "updateMetadata",
    )
    assert updated["errors"] == []
    assert updated["item"] == {
        "__typename": "Checkout",
        "metadata": [{"key": "gift_note", "value": "Chúc mừng năm mới"}],
    }
    deleted = run(
        api_client, DELETE_METADATA, {"id": checkout_id, "keys": ["gift_note"]}, "deleteMetadata"
    )
    assert deleted["item"]["metadata"] == []


def test_private_metadata_is_for_staff(api_client, checkout, staff_user, staff_token):
    checkout_id = global_id("Checkout", checkout.pk)
    variables = {"id": checkout_id, "input": [{"key": "risk", "value": "low"}]}

    assert denied(api_client.execute(UPDATE_PRIVATE_METADATA, variables))
    assert denied(api_client.execute(UPDATE_PRIVATE_METADATA, variables, token=staff_token))
    staff_user.user_permissions.add(
        Permission.objects.get(content_type__app_label="checkout", codename="manage_checkouts")
    )
    result = run(
        api_client, UPDATE_PRIVATE_METADATA, variables, "updatePrivateMetadata", staff_token
    )
    assert result["item"]["privateMetadata"] == [{"key": "risk", "value": "low"}]


def test_product_metadata_needs_manage_products(
    api_client, variant, customer_token, staff_with_manage_products
):

    product_id = global_id("Product", variant.product_id)
    variables = {"id": product_id, "input": [{"key": "erp", "value": "NM-01"}]}

    assert denied(api_client.execute(UPDATE_METADATA, variables, token=customer_token))
    result = run(
        api_client,
        UPDATE_METADATA,
        variables,
        "updateMetadata",
        access_token_for(staff_with_manage_products),
    )
    assert result["item"] == {
        "__typename": "Product",
        "metadata": [{"key": "erp", "value": "NM-01"}],
    }


def test_user_updates_own_metadata(api_client, customer_user, customer_token):
    result = run(
        api_client,
        UPDATE_METADATA,
        {"id": global_id("User", customer_user.pk), "input": [{"key": "zalo", "value": "yes"}]},
        "updateMetadata",
        customer_token,
    )

    assert result["item"]["__typename"] == "User"
    customer_user.refresh_from_db()
    assert customer_user.metadata == {"zalo": "yes"}


def test_metadata_errors(api_client, checkout):
    unknown = global_id("Checkout", "00000000-0000-0000-0000-000000000000")
    for id, code in ((unknown, "NOT_FOUND"), ("bad", "INVALID"), (global_id("Shop", 1), "INVALID")):
        result = run(
            api_client,
            UPDATE_METADATA,
            {"id": id, "input": [{"key": "a", "value": "b"}]},
            "updateMetadata",
        )
        assert [(e["field"], e["code"]) for e in result["errors"]] == [("id", code)], id
    result = run(
        api_client,
        UPDATE_METADATA,
        {"id": global_id("Checkout", checkout.pk), "input": [{"key": " ", "value": "b"}]},
        "updateMetadata",
    )
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("input", "REQUIRED")]
    checkout.refresh_from_db()
    assert checkout.metadata == {}
