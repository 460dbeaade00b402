"""Certificate links and QR codes follow PUBLIC_URL, and `make run` gives it to every command."""

import io
import os
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
import segno
from django.test import Client
from django.utils import timezone

from backend.ocop.models import (
    Certification,
    IssuerLevel,
    Producer,
    ProductGroup,
    Province,
    VerificationStatus,
)

ROOT = Path(__file__).resolve().parent.parent
SERVED_ON = "http://127.0.0.1:8400"


def test_make_run_gives_every_command_the_public_url_of_its_port():
    environment = {key: value for key, value in os.environ.items() if key != "PUBLIC_URL"}
    dry_run = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", "HOST=127.0.0.1", "PORT=8400"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    commands = [line for line in dry_run.splitlines() if "manage.py" in line]
    assert any("runserver 127.0.0.1:8400" in line for line in commands)
    for command in commands:
        assert command.startswith(f"PUBLIC_URL={SERVED_ON} "), command


@pytest.fixture
def certification(db, make_product, category_tree):
    product = make_product("Mật ong bạc hà", "mat-ong-bac-ha", category_tree["fish_sauce"])
    producer = Producer.objects.create(
        name="HTX Mật ong Hà Giang",
        slug="mat-ong-ha-giang",
        legal_type="cooperative",
        province=Province.objects.get(code="37"),
    )
    day = timezone.localdate()
    certification = Certification(
        product=product,
        producer=producer,
        stars=4,
        product_group=ProductGroup.FOOD,
        decision_number="12/QĐ-UBND",
        decision_date=day - timedelta(days=30),
        issuer_level=IssuerLevel.PROVINCE,
        issuer_name="UBND tỉnh Hà Giang",
        valid_from=day - timedelta(days=30),
        verification_status=VerificationStatus.VERIFIED,
    )
    certification.save()
    return certification


def test_link_qr_and_verify_url_use_the_public_url(certification, api_client, settings):
    settings.PUBLIC_URL = SERVED_ON
    page_url = f"{SERVED_ON}/ocop/verify/{certification.code}/"

    page = Client().get(f"/ocop/verify/{certification.code}/").content.decode()
    assert f"<small>{page_url}</small>" in page
    assert ":8000" not in page

    qr = Client().get(f"/ocop/verify/{certification.code}/qr.svg").content
    expected = io.BytesIO()
    segno.make(page_url, error="m").save(expected, kind="svg", scale=4, border=2, xmldecl=False)
    assert qr == expected.getvalue()

    query = '{ product(slug: "mat-ong-bac-ha", channel: "vn") { ocopCertification { verifyUrl } } }'
    result = api_client.execute(query)
    assert result["data"]["product"]["ocopCertification"]["verifyUrl"] == page_url
