"""The PostMart/Voso files for the office (MANAGE_INTEGRATIONS) and the account's producer:
download an export, regenerate it now, upload their order export. Anyone else gets 404, as for
an unknown id."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.ocop.access import ProducerScope
from integrations.marketplaces.exports import export_catalog, import_orders_file
from integrations.marketplaces.models import FILE_MARKETPLACES, CatalogExport, MarketplaceAccount

MANAGE_INTEGRATIONS = "marketplaces.manage_integrations"


def _may_manage(user, account: MarketplaceAccount) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm(MANAGE_INTEGRATIONS) or ProducerScope.of(user).covers(account.producer_id)


def _file_account(request, account_pk: int) -> MarketplaceAccount:
    account = get_object_or_404(
        MarketplaceAccount.objects.select_related("channel"),
        pk=account_pk,
        marketplace__in=FILE_MARKETPLACES,
    )
    if not _may_manage(request.user, account):
        raise Http404
    return account


def _back(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("/")


def download_export(request, pk: int, kind: str):
    export = get_object_or_404(CatalogExport.objects.select_related("account"), pk=pk)
    if kind not in ("xlsx", "csv") or not _may_manage(request.user, export.account):
        raise Http404
    stored = getattr(export, kind)
    filename = f"{export.account.marketplace}-{export.created_at:%Y%m%d-%H%M}.{kind}"
    return FileResponse(stored.open("rb"), as_attachment=True, filename=filename)


@require_POST
def refresh_export(request, account_pk: int):
    account = _file_account(request, account_pk)
    if export_catalog(account, created_by=request.user) is None:
        messages.info(request, _("Nothing changed since the last file."))
    else:
        messages.success(request, _("A new file is ready."))
    return _back(request)


@require_POST
def import_orders(request, account_pk: int):
    account = _file_account(request, account_pk)
    uploaded = request.FILES.get("file")
    if uploaded is None:
        messages.error(request, _("Choose the order file to upload."))
        return _back(request)
    try:
        applied = import_orders_file(account, uploaded)
    except ValueError as error:
        messages.error(request, _("The file was not imported: %(error)s") % {"error": error})
    else:
        messages.success(request, _("%(count)d orders read.") % {"count": len(applied)})
    return _back(request)
