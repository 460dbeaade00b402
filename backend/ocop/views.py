"""Public certificate verification page (reached from the QR on a product's stamp), its QR
code, and the staff-only download of a certification's evidence."""

import io
import mimetypes

import segno
from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import cache_control

from backend.account.permissions import OcopPermissions
from backend.ocop.models import Certification, CertificationStatus, VerificationStatus
from backend.ocop.services import today

EXPIRING_SOON_DAYS = 90


def _public_certification(code: str) -> Certification:
    """Only certifications the office verified are public."""
    return get_object_or_404(
        Certification.objects.select_related("product", "producer__province"),
        code=code,
        verification_status=VerificationStatus.VERIFIED,
    )


def verify_page_url(certification: Certification) -> str:
    path = reverse("ocop:verify", kwargs={"code": certification.code})
    return f"{settings.PUBLIC_URL.rstrip('/')}{path}"


def _state(certification: Certification, day) -> str:
    """valid / expiring / expired / revoked, checked against `day` (not only the stored status,
    so a certificate past its last day reads as expired before the nightly task runs)."""
    if certification.status == CertificationStatus.REVOKED:
        return "revoked"
    if certification.status == CertificationStatus.EXPIRED or certification.valid_until < day:
        return "expired"
    if (certification.valid_until - day).days < EXPIRING_SOON_DAYS:
        return "expiring"
    return "valid"


@cache_control(max_age=300, public=True)
def verify(request, code):
    certification = _public_certification(code)
    day = today()
    context = {
        "certification": certification,
        "state": _state(certification, day),
        "star_symbols": "★" * certification.stars,
        "page_url": verify_page_url(certification),
    }
    return render(request, "ocop/verify.html", context)


@cache_control(max_age=86400, public=True)
def verify_qr(request, code):
    certification = _public_certification(code)
    buffer = io.BytesIO()
    segno.make(verify_page_url(certification), error="m").save(
        buffer, kind="svg", scale=4, border=2, xmldecl=False
    )
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@staff_member_required
def evidence(request, pk):
    """The evidence scan, to the office only (it never has a public URL)."""
    if not request.user.has_perm(OcopPermissions.VERIFY_CERTIFICATIONS.value):
        raise PermissionDenied
    certification = get_object_or_404(Certification, pk=pk)
    if not certification.evidence:
        raise Http404
    content_type = mimetypes.guess_type(certification.evidence.name)[0]
    response = FileResponse(
        certification.evidence.open("rb"),
        content_type=content_type or "application/octet-stream",
        filename=certification.evidence.name.rsplit("/", 1)[-1],
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
