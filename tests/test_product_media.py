"""Staff product media: images uploaded by the GraphQL multipart request spec (validated by type
and size, stored re-encoded: see test_product_photos), video and image URLs, and exactly one
source per media."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from backend.core.ids import global_id
from backend.product.models import ProductMedia
from tests.fixtures.catalog import image_bytes
from tests.test_product_mutations import MEDIA_CREATE, error_of, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(api_client, catalog_manager_token):
    api_client.token = catalog_manager_token
    return api_client


def post_multipart(token, query, variables, files: dict, file_paths: dict):
    """POST a multipart GraphQL request: `files` part name → upload, `file_paths` part name →
    variable paths."""
    data = {
        "operations": json.dumps({"query": query, "variables": variables}),
        "map": json.dumps(file_paths),
        **files,
    }
    return Client().post("/graphql/", data, HTTP_AUTHORIZATION=f"Bearer {token}").json()


def media_upload(token, product, content: bytes, name="anh.png"):
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    variables = {
        "input": {"product": global_id("Product", product.pk), "image": None, "alt": "Chai mật ong"}
    }
    result = post_multipart(
        token, MEDIA_CREATE, variables, {"0": upload}, {"0": ["variables.input.image"]}
    )
    assert "errors" not in result, result
    return result["data"]["productMediaCreate"]


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "GIF"])
def test_media_upload_stores_image(catalog_manager_token, staff_product, image_format):
    payload = media_upload(catalog_manager_token, staff_product, image_bytes(image_format))
    assert payload["errors"] == []
    media = ProductMedia.objects.get()
    assert payload["media"]["id"] == global_id("ProductMedia", media.pk)
    assert payload["product"]["id"] == global_id("Product", staff_product.pk)
    assert media.alt == "Chai mật ong" and media.type == "IMAGE"
    with media.image.open("rb") as file, Image.open(file) as stored:
        assert (stored.format, stored.size) == ("JPEG", (64, 48))
        red, green, blue = stored.getpixel((5, 5))
        assert abs(red - 200) + abs(green - 120) + abs(blue - 30) <= 15


def test_media_upload_refuses_non_images_other_formats_and_big_files(
    catalog_manager_token, staff_product, settings
):
    for content in (b"not an image at all", image_bytes("BMP")):
        payload = media_upload(catalog_manager_token, staff_product, content)
        assert error_of(payload) == ("image", "INVALID") and payload["media"] is None
    settings.MAX_UPLOAD_IMAGE_BYTES = 100
    payload = media_upload(
        catalog_manager_token, staff_product, image_bytes("PNG", size=(300, 300))
    )
    assert error_of(payload) == ("image", "INVALID")
    assert not ProductMedia.objects.exists()


def test_media_create_needs_exactly_one_source(staff, staff_product):
    product_id = global_id("Product", staff_product.pk)
    payload = run(staff, MEDIA_CREATE, {"input": {"product": product_id}}, "productMediaCreate")
    assert error_of(payload) == ("input", "REQUIRED")
    payload = run(
        staff,
        MEDIA_CREATE,
        {"input": {"product": product_id, "mediaUrl": "http://127.0.0.1/secret.png"}},
        "productMediaCreate",
    )
    assert error_of(payload) == ("mediaUrl", "INVALID")
    assert not ProductMedia.objects.exists()


def test_media_create_video_url(staff, staff_product):
    variables = {
        "input": {
            "product": global_id("Product", staff_product.pk),
            "mediaUrl": "https://www.youtube.com/watch?v=abc",
        }
    }
    assert run(staff, MEDIA_CREATE, variables, "productMediaCreate")["errors"] == []
    media = ProductMedia.objects.get()
    assert (media.type, media.external_url) == ("VIDEO", "https://www.youtube.com/watch?v=abc")


def test_media_create_downloads_image_url(staff, staff_product, monkeypatch):
    import responses

    from backend.product import services

    monkeypatch.setattr(services, "is_public_host", lambda host: True)
    with responses.RequestsMock() as mocked:
        mocked.get("https://cdn.example/anh.png", body=image_bytes("PNG"))
        mocked.get("https://cdn.example/trang.html", body=b"<html></html>")
        variables = {
            "input": {
                "product": global_id("Product", staff_product.pk),
                "mediaUrl": "https://cdn.example/anh.png",
            }
        }
        assert run(staff, MEDIA_CREATE, variables, "productMediaCreate")["errors"] == []
        variables["input"]["mediaUrl"] = "https://cdn.example/trang.html"
        assert error_of(run(staff, MEDIA_CREATE, variables, "productMediaCreate")) == (
            "mediaUrl",
            "INVALID",
        )
    with ProductMedia.objects.get().image.open("rb") as file, Image.open(file) as stored:
        assert (stored.format, stored.size) == ("JPEG", (64, 48))


def test_multipart_request_with_missing_file_part_is_bad_request(
    catalog_manager_token, staff_product
):
    variables = {"input": {"product": global_id("Product", staff_product.pk), "image": None}}
    data = {
        "operations": json.dumps({"query": MEDIA_CREATE, "variables": variables}),
        "map": json.dumps({"0": ["variables.input.image"]}),
    }
    response = Client().post(
        "/graphql/", data, HTTP_AUTHORIZATION=f"Bearer {catalog_manager_token}"
    )
    assert response.status_code == 400
    assert not ProductMedia.objects.exists()
