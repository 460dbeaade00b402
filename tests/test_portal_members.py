"""A producer's members: owners invite by email with a role and remove members; the invitee
accepts the emailed link; staff only look; another producer's members are out of reach."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from backend.account.models import User
from backend.ocop.models import ProducerInvitation, ProducerMembership, ProducerRole
from tests.fixtures.producers import MEMBER_PASSWORD, add_member

pytestmark = pytest.mark.django_db
PROFILE = reverse("portal:profile")
INVITE = reverse("portal:member_invite")
NEW_PASSWORD = "mat-khau-moi-rat-dai-2026"


def remove_url(membership):
    return reverse("portal:member_remove", args=[membership.pk])


@pytest.fixture
def invite(client, mailoutbox, django_capture_on_commit_callbacks):
    """POST the invitation form as the signed-in client; return the link emailed."""

    def invite(email, role="staff"):
        sent = len(mailoutbox)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(INVITE, {"email": email, "role": role})
        assert response.status_code == 302, response
        (mail,) = mailoutbox[sent:]
        assert mail.to == [email]
        return re.search(r"https?://\S+/portal/loi-moi/\S+/", mail.body).group(0)

    return invite


def path_of(url):
    return "/" + url.split("/", 3)[3]


def test_new_user_accepts_an_invitation_and_acts_for_the_producer(client, producer_a, invite):
    client.force_login(producer_a.owner)
    link = invite("nhanvien@example.com", "staff")
    client.logout()

    page = client.get(path_of(link))
    assert page.status_code == 200 and "password2" in page.content.decode()
    response = client.post(path_of(link), {"password": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    user = User.objects.get(email="nhanvien@example.com")
    assert user.check_password(NEW_PASSWORD)
    membership = ProducerMembership.objects.get(user=user)
    assert (membership.producer, membership.role) == (producer_a.producer, ProducerRole.STAFF)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert producer_a.product.name in client.get(reverse("portal:products")).content.decode()


def test_existing_user_signs_in_to_accept(client, producer_a, producer_b, invite):
    client.force_login(producer_a.owner)
    link = invite(producer_b.owner.email, "owner")
    client.logout()

    page = client.get(path_of(link)).content.decode()
    assert "current-password" in page and "password2" not in page
    wrong = client.post(path_of(link), {"password": "sai-mat-khau"})
    assert wrong.status_code == 400
    assert not ProducerMembership.objects.filter(
        producer=producer_a.producer, user=producer_b.owner
    ).exists()
    cache.delete_pattern("throttle:*")  # the wrong password delays the next try a second

    client.post(path_of(link), {"password": MEMBER_PASSWORD})

    membership = ProducerMembership.objects.get(producer=producer_a.producer, user=producer_b.owner)
    assert membership.role == ProducerRole.OWNER
    # Their password is unchanged and they still own their own producer.
    producer_b.owner.refresh_from_db()
    assert producer_b.owner.check_password(MEMBER_PASSWORD)
    assert ProducerMembership.objects.filter(producer=producer_b.producer, user=producer_b.owner)


def test_link_works_once(client, producer_a, invite):
    client.force_login(producer_a.owner)
    link = invite("nhanvien@example.com")
    client.logout()
    client.post(path_of(link), {"password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.logout()

    response = client.get(path_of(link))

    assert response.status_code == 410
    again = client.post(path_of(link), {"password": "khac-" + NEW_PASSWORD})
    assert again.status_code == 410
    assert User.objects.get(email="nhanvien@example.com").check_password(NEW_PASSWORD)


def test_expired_or_forged_link_is_refused(client, producer_a, invite):
    client.force_login(producer_a.owner)
    link = invite("nhanvien@example.com")
    client.logout()
    ProducerInvitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    expired = client.post(path_of(link), {"password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    forged = client.get(path_of(link).replace("/loi-moi/", "/loi-moi/x"))

    assert expired.status_code == 410 and forged.status_code == 410
    assert not User.objects.filter(email="nhanvien@example.com").exists()


def test_a_new_invitation_replaces_the_old_link(client, producer_a, invite):
    client.force_login(producer_a.owner)
    first = invite("nhanvien@example.com")
    invite("nhanvien@example.com")

    assert client.get(path_of(first)).status_code == 410
    assert ProducerInvitation.objects.count() == 1


def test_staff_see_members_but_cannot_invite_or_remove(client, producer_a, mailoutbox):
    staff = add_member(producer_a.producer, "nv@tra.vn", ProducerRole.STAFF)
    client.force_login(staff)

    page = client.get(PROFILE).content.decode()
    assert producer_a.owner.email in page and INVITE not in page
    owner_membership = ProducerMembership.objects.get(user=producer_a.owner)

    assert client.post(INVITE, {"email": "x@example.com", "role": "owner"}).status_code == 403
    assert client.post(remove_url(owner_membership)).status_code == 403
    assert ProducerInvitation.objects.count() == 0 and mailoutbox == []
    assert ProducerMembership.objects.filter(pk=owner_membership.pk).exists()


def test_owner_removes_a_member(client, producer_a):
    staff = add_member(producer_a.producer, "nv@tra.vn", ProducerRole.STAFF)
    client.force_login(producer_a.owner)

    response = client.post(remove_url(ProducerMembership.objects.get(user=staff)))

    assert response.status_code == 302
    assert not ProducerMembership.objects.filter(user=staff).exists()


def test_last_owner_cannot_be_removed_nor_leave(client, producer_a):
    membership = ProducerMembership.objects.get(user=producer_a.owner)
    client.force_login(producer_a.owner)

    response = client.post(remove_url(membership), follow=True)

    assert ProducerMembership.objects.filter(pk=membership.pk).exists()
    assert "chủ cơ sở cuối cùng" in response.content.decode()
    # The page does not offer what would be refused.
    page = client.get(reverse("portal:profile")).content.decode()
    assert remove_url(membership) not in page


def test_an_owner_may_remove_another_owner(client, producer_a):
    second = add_member(producer_a.producer, "chu2@tra.vn", ProducerRole.OWNER)
    client.force_login(second)

    client.post(remove_url(ProducerMembership.objects.get(user=producer_a.owner)))

    assert list(producer_a.producer.members.all()) == [second]


def test_other_producers_members_cannot_be_removed(client, producer_a, producer_b):
    client.force_login(producer_a.owner)
    other = ProducerMembership.objects.get(user=producer_b.owner)

    assert client.post(remove_url(other)).status_code == 404
    assert ProducerMembership.objects.filter(pk=other.pk).exists()


def test_invitation_to_a_member_is_refused(client, producer_a, mailoutbox):
    client.force_login(producer_a.owner)

    response = client.post(INVITE, {"email": producer_a.owner.email, "role": "staff"}, follow=True)

    assert "đã là thành viên" in response.content.decode()
    assert ProducerInvitation.objects.count() == 0


def test_invitation_cannot_be_cancelled_by_another_producer(client, producer_a, producer_b, invite):
    client.force_login(producer_a.owner)
    invite("nhanvien@example.com")
    invitation = ProducerInvitation.objects.get()
    client.force_login(producer_b.owner)

    response = client.post(reverse("portal:invitation_cancel", args=[invitation.pk]))

    assert response.status_code == 404 and ProducerInvitation.objects.filter(pk=invitation.pk)


@pytest.mark.parametrize("extra", [0, 6])
def test_members_page_has_a_bounded_number_of_queries(
    client, producer_a, django_assert_max_num_queries, extra
):
    for number in range(extra):
        add_member(producer_a.producer, f"nv{number}@tra.vn", ProducerRole.STAFF)
        ProducerInvitation.objects.create(
            producer=producer_a.producer,
            email=f"moi{number}@tra.vn",
            nonce="x",
            expires_at=timezone.now() + timedelta(days=1),
        )
    client.force_login(producer_a.owner)
    with django_assert_max_num_queries(12):
        page = client.get(PROFILE)
    assert page.content.decode().count("@tra.vn") >= 2 * extra


def test_signed_in_invitee_accepts_with_one_button(client, producer_a, producer_b, invite):
    client.force_login(producer_a.owner)
    link = invite(producer_b.owner.email, "staff")
    client.force_login(producer_b.owner)

    page = client.get(path_of(link)).content.decode()
    assert 'type="password"' not in page
    response = client.post(path_of(link))

    assert response.status_code == 302
    membership = ProducerMembership.objects.get(producer=producer_a.producer, user=producer_b.owner)
    assert membership.role == ProducerRole.STAFF
    # The session now acts for the producer just joined.
    assert producer_a.product.name in client.get(reverse("portal:products")).content.decode()
