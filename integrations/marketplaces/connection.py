"""From a stored account to a talking adapter, one worker at a time.

`connect(account)` builds the marketplace's adapter from the account's (decrypted) credentials
and settings. New tokens are saved at once, in their own short transaction — Shopee's refresh
tokens work once, so a pair not saved is an account lost.

`session(account)` is the lease every caller that talks to a shop takes (pushes, order reads,
reconciliation): one worker per shop, so the shop's rate limit holds across workers. A worker
that dies leaves a lease that runs out (`MARKETPLACE_LEASE_SECONDS`). Each session's rate
limiter starts from the times of the previous session's last calls (`recent_calls`, wall-clock
seconds), so a new worker neither waits for nothing nor crowds the window its predecessor
filled."""

import time
import uuid
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from integrations.marketplaces.base import Credentials, MarketplaceAdapter, RateLimiter
from integrations.marketplaces.lazada import LAZADA_VN, LazadaAdapter
from integrations.marketplaces.models import Marketplace, MarketplaceAccount
from integrations.marketplaces.shopee import SHOPEE, ShopeeAdapter
from integrations.marketplaces.tiki import TikiAdapter
from integrations.marketplaces.tiki import default_settings as tiki_settings
from integrations.marketplaces.tiktok import TikTokAdapter
from integrations.marketplaces.tiktok import default_settings as tiktok_settings

ADAPTERS = {
    Marketplace.SHOPEE: (ShopeeAdapter, SHOPEE),
    Marketplace.LAZADA: (LazadaAdapter, LAZADA_VN),
    Marketplace.TIKTOK: (TikTokAdapter, tiktok_settings()),
    Marketplace.TIKI: (TikiAdapter, tiki_settings()),
}


class ShopBusy(Exception):
    """Another worker holds the shop's lease."""


def credentials_of(account: MarketplaceAccount) -> Credentials:
    return Credentials(
        app_key=account.app_key,
        app_secret=account.app_secret,
        shop_id=account.shop_id,
        access_token=account.access_token,
        refresh_token=account.refresh_token,
        access_expires_at=account.access_expires_at,
        refresh_expires_at=account.refresh_expires_at,
        extra=account.extra or {},
    )


def save_tokens(account: MarketplaceAccount, credentials: Credentials) -> None:
    account.access_token = credentials.access_token
    account.refresh_token = credentials.refresh_token
    account.access_expires_at = credentials.access_expires_at
    account.refresh_expires_at = credentials.refresh_expires_at
    account.save(
        update_fields=[
            "access_token",
            "refresh_token",
            "access_expires_at",
            "refresh_expires_at",
        ]
    )


def connect(account: MarketplaceAccount) -> MarketplaceAdapter:
    adapter_class, defaults = ADAPTERS[account.marketplace]
    overrides = {}
    if account.api_url:
        overrides["base_url"] = account.api_url
        overrides["auth_url"] = account.auth_url or account.api_url
    elif account.auth_url:
        overrides["auth_url"] = account.auth_url
    if account.calls_per_second:
        overrides["calls_per_second"] = account.calls_per_second
    settings_ = replace(defaults, **overrides)
    return adapter_class(
        credentials_of(account),
        settings_,
        on_tokens=lambda credentials: save_tokens(account, credentials),
        # Wall-clock times, so the window can pass from one worker process to the next.
        limiter=RateLimiter(settings_.calls_per_second, clock=time.time),
    )


def _lease_seconds() -> int:
    return settings.MARKETPLACE_LEASE_SECONDS


def _take_lease(account_id: int, owner: str) -> bool:
    now = timezone.now()
    return bool(
        MarketplaceAccount.objects.filter(pk=account_id)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now) | Q(lease_owner=owner))
        .update(lease_owner=owner, lease_until=now + timedelta(seconds=_lease_seconds()))
    )


class Session:
    """The lease holder's handle: `adapter` to talk, `renew()` on long runs."""

    def __init__(self, account: MarketplaceAccount, owner: str):
        self.account, self.owner = account, owner
        self.adapter = connect(account)

    def renew(self) -> None:
        if not _take_lease(self.account.pk, self.owner):
            raise ShopBusy(f"lost the lease of marketplace account {self.account.pk}")


@contextmanager
def session(account: MarketplaceAccount, *, wait: float = 0.0):
    """Hold the shop's lease while talking to it; raises ShopBusy when another worker has it
    (after waiting up to `wait` seconds)."""
    owner = uuid.uuid4().hex
    deadline = time.monotonic() + wait
    while not _take_lease(account.pk, owner):
        if time.monotonic() >= deadline:
            raise ShopBusy(f"marketplace account {account.pk} is busy")
        time.sleep(0.05)
    account.refresh_from_db()
    current = Session(account, owner)
    limiter = current.adapter.limiter
    limiter.calls.extend(sorted(account.recent_calls)[-limiter.limit :])
    try:
        yield current
    finally:
        now = time.time()
        MarketplaceAccount.objects.filter(pk=account.pk, lease_owner=owner).update(
            lease_owner="",
            lease_until=None,
            recent_calls=[at for at in limiter.calls if at > now - limiter.window],
        )
