"""The portal's door: sign-in, and each member sees only their own producer's data."""

import pytest
from django.urls import reverse

from tests.fixtures.producers import MEMBER_PASSWORD

pytestmark = pytest.mark.django_db


def test_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("portal:products"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:signin"))


def test_member_signs_in_and_sees_only_own_products(client, producer_a, producer_b):
    response = client.post(
        reverse("portal:signin"),
        {"email": producer_a.owner.email, "password": MEMBER_PASSWORD, "next": "/portal/san-pham/"},
    )
    assert response.status_code == 302 and response["Location"] == "/portal/san-pham/"
    page = client.get("/portal/san-pham/").content.decode()
    assert producer_a.product.name in page
    assert producer_b.product.name not in page


def test_wrong_password_is_refused(client, producer_a):
    response = client.post(
        reverse("portal:signin"), {"email": producer_a.owner.email, "password": "sai"}
    )
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_customer_without_producer_is_forbidden(client, django_user_model):
    user = django_user_model.objects.create_user(email="khach@example.com", password="x")
    client.force_login(user)
    assert client.get(reverse("portal:dashboard")).status_code == 403
