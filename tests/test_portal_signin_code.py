"""Signing in to the portal with a one-time code sent by email (for a forgotten password)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from backend.account.models import OneTimeCode
from backend.account.one_time_codes import MAX_WRONG_TRIES

pytestmark = pytest.mark.django_db
REQUEST = reverse("portal:signin_code")
VERIFY = reverse("portal:signin_code_verify")


@pytest.fixture
def ask(client, mailoutbox, django_capture_on_commit_callbacks):
    """Ask for a code for `email`; return the response and the code emailed (or None)."""

    def ask(email, address="203.0.113.5"):
        sent = len(mailoutbox)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(REQUEST, {"email": email}, REMOTE_ADDR=address)
        new = mailoutbox[sent:]
        code = re.search(r"\b(\d{6})\b", new[0].body).group(1) if new else None
        return response, code

    return ask


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def test_right_code_signs_the_member_in(client, producer_a, ask, mailoutbox):
    response, code = ask(producer_a.owner.email.upper())
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert mailoutbox[-1].to == [producer_a.owner.email]
    assert "Mã đăng nhập" in mailoutbox[-1].subject
    # Only a hash is stored.
    assert code not in OneTimeCode.objects.get().code_hash

    response = client.post(VERIFY, {"email": producer_a.owner.email, "code": code})

    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert signed_in_as(client) == str(producer_a.owner.pk)
    assert client.get(reverse("portal:products")).status_code == 200


def test_code_works_once(client, producer_a, ask):
    _response, code = ask(producer_a.owner.email)
    client.post(VERIFY, {"email": producer_a.owner.email, "code": code})
    client.logout()

    response = client.post(VERIFY, {"email": producer_a.owner.email, "code": code})

    assert response.status_code == 400 and signed_in_as(client) is None


def test_five_wrong_codes_void_the_code(client, producer_a, ask):
    _response, code = ask(producer_a.owner.email)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _try in range(MAX_WRONG_TRIES):
        response = client.post(VERIFY, {"email": producer_a.owner.email, "code": wrong})
        assert response.status_code == 400
        assert "no longer valid" in response.content.decode() or "không còn" in (
            response.content.decode()
        )

    response = client.post(VERIFY, {"email": producer_a.owner.email, "code": code})

    assert response.status_code == 400 and signed_in_as(client) is None


def test_expired_code_is_refused(client, producer_a, ask):
    _response, code = ask(producer_a.owner.email)
    OneTimeCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = client.post(VERIFY, {"email": producer_a.owner.email, "code": code})

    assert response.status_code == 400 and signed_in_as(client) is None


def test_new_request_replaces_the_old_code(client, producer_a, ask):
    _response, first = ask(producer_a.owner.email)
    _response, second = ask(producer_a.owner.email)
    if first == second:  # one chance in a million
        pytest.skip("the same code twice")

    assert client.post(VERIFY, {"email": producer_a.owner.email, "code": first}).status_code == 400
    assert client.post(VERIFY, {"email": producer_a.owner.email, "code": second}).status_code == 302


def test_unknown_email_gets_the_same_answer_and_no_email(client, producer_a, ask, mailoutbox):
    known, _code = ask(producer_a.owner.email)
    unknown, code = ask("nobody@example.com")

    assert code is None and len(mailoutbox) == 1
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    page_known = client.get(known["Location"]).content.decode()
    assert "nobody@example.com" in client.get(unknown["Location"]).content.decode()
    assert producer_a.owner.email in page_known
    response = client.post(VERIFY, {"email": "nobody@example.com", "code": "123456"})
    assert response.status_code == 400


def test_requests_are_throttled_per_email_and_per_address(client, producer_a, ask, mailoutbox):
    for _request in range(3):
        assert ask(producer_a.owner.email)[0].status_code == 302
    response, code = ask(producer_a.owner.email, address="198.51.100.7")
    assert response.status_code == 429 and code is None
    assert len(mailoutbox) == 3

    for number in range(10):
        assert ask(f"khach{number}@example.com", address="192.0.2.9")[0].status_code == 302
    response, _code = ask("khach-cuoi@example.com", address="192.0.2.9")
    assert response.status_code == 429


def test_sign_in_page_offers_the_code(client):
    page = client.get(reverse("portal:signin")).content.decode()
    assert REQUEST in page
