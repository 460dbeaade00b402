"""Order webhooks from the marketplaces: checked against the raw body, answered at once (Lazada
wants 200 within 500 ms, Shopee an empty 2xx), the orders read and applied in a Celery task."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from integrations.marketplaces.base import WebhookRejected
from integrations.marketplaces.connection import connect
from integrations.marketplaces.models import FILE_MARKETPLACES, MarketplaceAccount
from integrations.marketplaces.tasks import queue, receive_webhook_orders


def callback_url(account: MarketplaceAccount) -> str:
    """The address registered with the marketplace (Shopee signs it into every push)."""
    path = reverse("marketplace-webhook", args=[account.pk, account.marketplace])
    return settings.PUBLIC_URL.rstrip("/") + path


@csrf_exempt
@require_POST
def order_webhook(request, account_id: int, marketplace: str):
    account = get_object_or_404(
        MarketplaceAccount.objects.exclude(marketplace__in=FILE_MARKETPLACES),
        pk=account_id,
        marketplace=marketplace,
        enabled=True,
    )
    try:
        order_ids = connect(account).webhook_order_ids(
            request.body, request.headers, callback_url(account)
        )
    except WebhookRejected:
        return HttpResponseForbidden()
    if order_ids:
        queue(receive_webhook_orders, account.pk, order_ids)
    return HttpResponse(status=200)
