"""Product media and thumbnails on S3 (django-storages' S3Storage), against a real S3 API served
locally by moto's server mode."""

import io
import json
import socket

import boto3
import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer
from PIL import Image

from backend.core.ids import global_id
from backend.ocop.access import ProducerScope
from backend.product.services import create_product_media
from backend.thumbnail.models import Thumbnail
from tests.fixtures.catalog import image_bytes

pytestmark = pytest.mark.django_db
BUCKET = "ocop-media-test"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **CREDENTIALS)
    client.create_bucket(Bucket=BUCKET)
    # Media are public (unsigned URLs, AWS_QUERYSTRING_AUTH off), as the deployed bucket is.
    client.put_bucket_policy(
        Bucket=BUCKET,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{BUCKET}/*",
                    }
                ],
            }
        ),
    )
    yield endpoint
    server.stop()


@pytest.fixture
def s3(s3_endpoint, settings):
    """Default storage switched to S3Storage on the moto bucket, configured the way
    backend/settings.py does it from AWS_* variables."""
    settings.AWS_STORAGE_BUCKET_NAME = BUCKET
    settings.AWS_S3_ENDPOINT_URL = s3_endpoint
    settings.AWS_S3_REGION_NAME = "us-east-1"
    settings.AWS_ACCESS_KEY_ID = CREDENTIALS["aws_access_key_id"]
    settings.AWS_SECRET_ACCESS_KEY = CREDENTIALS["aws_secret_access_key"]
    settings.AWS_QUERYSTRING_AUTH = False
    settings.AWS_S3_FILE_OVERWRITE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    }
    return boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **CREDENTIALS)


def bucket_object(client, key) -> bytes:
    return client.get_object(Bucket=BUCKET, Key=key)["Body"].read()


def test_product_media_is_stored_in_the_bucket(s3, s3_endpoint, staff_product):
    content = image_bytes("PNG", size=(640, 480))
    upload = SimpleUploadedFile("mat-ong.png", content, content_type="image/png")
    media = create_product_media(
        staff_product, image=upload, alt="Mật ong", scope=ProducerScope.system()
    )
    assert media.image.name.startswith("products/mat-ong")
    assert media.image.url.startswith(f"{s3_endpoint}/{BUCKET}/products/")
    with media.image.open("rb") as stored:
        stored_content = stored.read()
    assert bucket_object(s3, media.image.name) == stored_content
    with Image.open(io.BytesIO(stored_content)) as image:
        assert (image.format, image.size) == ("JPEG", (640, 480))

    second = create_product_media(
        staff_product,
        image=SimpleUploadedFile("mat-ong.png", content),
        scope=ProducerScope.system(),
    )
    assert second.image.name != media.image.name
    assert bucket_object(s3, media.image.name) == stored_content


def test_thumbnail_view_stores_its_file_in_the_bucket(s3, s3_endpoint, staff_product, client):
    upload = SimpleUploadedFile("tra.jpg", image_bytes("JPEG", size=(1000, 500)))
    media = create_product_media(staff_product, image=upload, scope=ProducerScope.system())

    response = client.get(f"/thumbnail/{global_id('ProductMedia', media.pk)}/256/webp/")
    assert response.status_code == 302
    thumbnail = Thumbnail.objects.get()
    assert response["Location"] == f"{s3_endpoint}/{BUCKET}/{thumbnail.image.name}"
    served = requests.get(response["Location"], timeout=10)
    assert served.status_code == 200
    with Image.open(io.BytesIO(served.content)) as image:
        assert (image.format, image.size) == ("WEBP", (256, 128))
    assert bucket_object(s3, thumbnail.image.name) == served.content

    again = client.get(f"/thumbnail/{global_id('ProductMedia', media.pk)}/256/webp/")
    assert again["Location"] == response["Location"]
    keys = [
        item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET, Prefix="thumbnails/")["Contents"]
    ]
    assert keys.count(thumbnail.image.name) == 1 and Thumbnail.objects.count() == 1
