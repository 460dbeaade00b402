"""The producer's OCOP certifications: each badge's state and expiry, asking the office to record
a new one, and sending evidence again — a thin layer over backend.ocop.producer_certifications."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.ocop.models import CERTIFIED_STARS, IssuerLevel, ProductGroup
from backend.ocop.producer_certifications import (
    EVIDENCE_MAX_BYTES,
    certification_rows,
    producer_certification,
    producer_certifications,
    replace_evidence,
    request_certification,
)
from backend.product.models import Product
from storefront.portal.access import member_required

CERTIFICATIONS_PER_PAGE = 20

EVIDENCE_ACCEPT = "application/pdf,image/jpeg,image/png"
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EvidenceForm(forms.Form):
    evidence = forms.FileField(
        label=gettext_lazy("Scan of the decision or certificate (PDF, JPEG or PNG, up to 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
        # The size and kind are checked by content in the domain service.
        max_length=255,
    )


class CertificationRequestForm(EvidenceForm):
    product = forms.TypedChoiceField(label=gettext_lazy("Product"), coerce=int)
    stars = forms.TypedChoiceField(
        label=gettext_lazy("Stars"),
        coerce=int,
        choices=[(n, f"{n} ★") for n in CERTIFIED_STARS],
    )
    product_group = forms.ChoiceField(
        label=gettext_lazy("Product group"), choices=ProductGroup.choices
    )
    decision_number = forms.CharField(label=gettext_lazy("Decision number"), max_length=100)
    decision_date = forms.DateField(label=gettext_lazy("Decision date"), widget=DATE_INPUT)
    issuer_level = forms.ChoiceField(
        label=gettext_lazy("Issued at level"),
        choices=IssuerLevel.choices,
        initial=IssuerLevel.PROVINCE,
    )
    issuer_name = forms.CharField(label=gettext_lazy("Issued by"), max_length=255)
    certificate_number = forms.CharField(
        label=gettext_lazy("Certificate number"), max_length=100, required=False
    )
    valid_from = forms.DateField(label=gettext_lazy("Valid from"), widget=DATE_INPUT)

    field_order = [
        "product",
        "stars",
        "product_group",
        "decision_number",
        "decision_date",
        "issuer_level",
        "issuer_name",
        "certificate_number",
        "valid_from",
        "evidence",
    ]

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [("", _("Choose a product"))] + [
            (product.pk, product.name) for product in products
        ]


def _show_errors(form, error: ValidationError) -> None:
    """Put the domain's errors on the form's fields (or on the whole form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        for item in errors:
            form.add_error(field if field in form.fields else None, item)


@member_required
def certification_list(request):
    scope = request.portal.scope
    page = Paginator(producer_certifications(scope), CERTIFICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = certification_rows(scope, page.object_list)
    return render(request, "portal/certifications.html", {"rows": rows, "page": page})


@member_required
def certification_new(request):
    scope = request.portal.scope
    products = scope.filter(Product.objects.order_by("name"))
    form = CertificationRequestForm(request.POST or None, request.FILES or None, products=products)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            certification = request_certification(
                scope,
                actor=request.user,
                product_id=data.pop("product"),
                evidence=data.pop("evidence"),
                **data,
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Sent to the OCOP office for verification."))
            return redirect("portal:certification", pk=certification.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "portal/certification_new.html",
        {"form": form, "max_mb": EVIDENCE_MAX_BYTES // (1024 * 1024)},
        status=status,
    )


def _own_certification(request, pk):
    certification = producer_certification(request.portal.scope, pk)
    if certification is None:
        raise Http404
    return certification


@member_required
def certification_detail(request, pk):
    certification = _own_certification(request, pk)
    form = EvidenceForm()
    status = 200
    if request.method == "POST":
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                replace_evidence(
                    request.portal.scope,
                    certification,
                    form.cleaned_data["evidence"],
                    actor=request.user,
                )
            except ValidationError as error:
                _show_errors(form, error)
            else:
                messages.success(request, _("New evidence sent to the OCOP office."))
                return redirect("portal:certification", pk=certification.pk)
        status = 400
    [row] = certification_rows(request.portal.scope, [certification])
    return render(
        request,
        "portal/certification.html",
        {"row": row, "certification": certification, "form": form},
        status=status,
    )
