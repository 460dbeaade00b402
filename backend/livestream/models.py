"""Livestream sales campaigns: events with hosts, the products they sell at live prices within
quotas, pins during the stream, reminders, viewers' activity and complaints (Law 122/2025/QH15:
published rules, verified livestreamers, a complaint channel, the power to stop a stream)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Platform(models.TextChoices):
    YOUTUBE = "youtube", "YouTube"
    FACEBOOK = "facebook", "Facebook"
    TIKTOK = "tiktok", "TikTok"
    HLS = "hls", _("HLS stream")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    LIVE = "live", _("Live")
    ENDED = "ended", _("Ended")
    CANCELLED = "cancelled", _("Cancelled")


class LiveEvent(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    cover = models.ImageField(_("cover"), upload_to="livestream/", blank=True)
    organiser = models.ForeignKey(
        "ocop.Producer",
        verbose_name=_("organiser"),
        help_text=_("Empty: the coordination office organises it."),
        related_name="live_events",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    province = models.ForeignKey(
        "ocop.Province",
        verbose_name=_("province"),
        related_name="live_events",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    channel = models.ForeignKey(
        "channel.Channel", verbose_name=_("channel"), related_name="+", on_delete=models.PROTECT
    )
    hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("hosts"), related_name="hosted_events", blank=True
    )
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    stream_url = models.URLField(_("stream or embed address"), max_length=500)
    replay_url = models.URLField(_("replay address"), max_length=500, blank=True)
    scheduled_start = models.DateTimeField(_("scheduled start"), db_index=True)
    scheduled_end = models.DateTimeField(_("scheduled end"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    # The office stopped it (on request of the authorities, or for a breach): hidden at once.
    stream_hidden = models.BooleanField(_("stream hidden"), default=False)
    stop_reason = models.TextField(_("reason for stopping"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("livestream event")
        verbose_name_plural = _("livestream events")
        ordering = ["scheduled_start", "pk"]
        permissions = (("manage_livestreams", _("Manage livestream sales.")),)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scheduled_end__gt=models.F("scheduled_start")),
                name="live_event_ends_after_start",
            )
        ]

    def __str__(self):
        return self.title


class LivestreamerIdentity(models.Model):
    """A host's identity as the office checked it: nobody sells live before this is verified."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        related_name="livestreamer_identity",
        on_delete=models.CASCADE,
    )
    full_name = models.CharField(_("full name"), max_length=150)
    id_number = models.CharField(_("ID card or passport number"), max_length=32)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("livestreamer identity")
        verbose_name_plural = _("livestreamer identities")

    def __str__(self):
        return self.full_name


class ProductSet(models.Model):
    """A reusable line-up of variants to load into an event in one go."""

    name = models.CharField(_("name"), max_length=120)
    variants = models.ManyToManyField(
        "product.ProductVariant", verbose_name=_("variants"), related_name="+"
    )

    class Meta:
        verbose_name = _("product set")
        verbose_name_plural = _("product sets")
        ordering = ["name"]

    def __str__(self):
        return self.name


class EventOffer(models.Model):
    """A variant sold in an event: its live price (only while the event is live, only to buyers
    coming through it), a quota held from stock for the event, and a limit per buyer."""

    event = models.ForeignKey(
        LiveEvent, verbose_name=_("event"), related_name="offers", on_delete=models.CASCADE
    )
    variant = models.ForeignKey(
        "product.ProductVariant",
        verbose_name=_("variant"),
        related_name="live_offers",
        on_delete=models.CASCADE,
    )
    live_price = models.BigIntegerField(_("live price"), null=True, blank=True)
    quota = models.PositiveIntegerField(_("quota"), null=True, blank=True)
    per_buyer_limit = models.PositiveIntegerField(_("limit per buyer"), null=True, blank=True)
    sold = models.PositiveIntegerField(_("sold"), default=0)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("product in the event")
        verbose_name_plural = _("products in the event")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "variant"], name="live_offer_once"),
            models.CheckConstraint(
                condition=models.Q(quota__isnull=True) | models.Q(sold__lte=models.F("quota")),
                name="live_offer_sold_within_quota",
            ),
            models.CheckConstraint(
                condition=models.Q(live_price__isnull=True) | models.Q(live_price__gt=0),
                name="live_offer_price_positive",
            ),
        ]

    def __str__(self):
        return f"{self.event_id}: {self.variant_id}"


class OfferPurchase(models.Model):
    """Units a buyer bought through the event: what their per-buyer limit counts. `buyer` is
    the user's id, or the lower-cased email of a guest."""

    offer = models.ForeignKey(EventOffer, related_name="purchases", on_delete=models.CASCADE)
    buyer = models.CharField(max_length=254)
    quantity = models.PositiveIntegerField()
    order_reference = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["offer", "buyer"], name="live_purchase_buyer")]

    def __str__(self):
        return f"{self.quantity} × {self.offer_id} to {self.buyer}"


class Pin(models.Model):
    """A product shown on the stream; `pinned_at` lets a delayed video line the pin up."""

    event = models.ForeignKey(
        LiveEvent, verbose_name=_("event"), related_name="pins", on_delete=models.CASCADE
    )
    offer = models.ForeignKey(
        EventOffer, verbose_name=_("product"), related_name="pins", on_delete=models.CASCADE
    )
    pinned_at = models.DateTimeField(_("pinned at"))
    unpinned_at = models.DateTimeField(_("unpinned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("pin")
        verbose_name_plural = _("pins")
        ordering = ["pinned_at", "pk"]

    def __str__(self):
        return f"{self.offer_id} at {self.pinned_at}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Subscription(models.Model):
    """A viewer who asked to be reminded; the token is their unsubscribe link."""

    event = models.ForeignKey(
        LiveEvent, verbose_name=_("event"), related_name="subscriptions", on_delete=models.CASCADE
    )
    email = models.EmailField(_("email"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder subscription")
        verbose_name_plural = _("reminder subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="subscription_once_per_email")
        ]

    def __str__(self):
        return self.email


class ReminderKind(models.TextChoices):
    DAY_BEFORE = "day", _("24 hours before")
    QUARTER_BEFORE = "quarter", _("15 minutes before")
    STARTED = "started", _("At the start")
    RESCHEDULED = "rescheduled", _("Rescheduled")


class ReminderSent(models.Model):
    """One row per reminder a subscriber is due (backend.livestream.reminders): claimed once
    (the unique constraint), then sent under the row's lock and marked sent in the same
    transaction: no two workers send it, and one that dies first leaves it to the next run."""

    subscription = models.ForeignKey(
        Subscription, related_name="reminders", on_delete=models.CASCADE
    )
    kind = models.CharField(max_length=12, choices=ReminderKind.choices)
    # For a reschedule: which start it announced (each new time is announced once).
    about_start = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "kind", "about_start"],
                name="reminder_once",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        return f"{self.kind} to {self.subscription_id}"


class ActivityKind(models.TextChoices):
    VIEW = "view", _("Viewed")
    ADD_TO_CART = "add_to_cart", _("Added to cart")


class ViewerActivity(models.Model):
    """A viewer's presence (heartbeats) and add-to-carts on an event page, for the live
    counters and the report: `visitor` is an anonymous key kept in the viewer's session."""

    event = models.ForeignKey(LiveEvent, related_name="activity", on_delete=models.CASCADE)
    visitor = models.CharField(max_length=64)
    kind = models.CharField(max_length=12, choices=ActivityKind.choices)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["event", "kind", "at"], name="live_activity_lookup")]

    def __str__(self):
        return f"{self.kind} by {self.visitor} at {self.at}"


class Complaint(models.Model):
    event = models.ForeignKey(
        LiveEvent, verbose_name=_("event"), related_name="complaints", on_delete=models.CASCADE
    )
    email = models.EmailField(_("email"))
    message = models.TextField(_("what happened"))
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("livestream complaint")
        verbose_name_plural = _("livestream complaints")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.event} — {self.email}"
