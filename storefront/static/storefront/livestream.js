/* The livestream event page, on top of a page that works without it: the countdown, pins
   that change without reloading (server-sent events from <base>events/, else polling
   <base>pins.json every 5 s), a heartbeat to <base>heartbeat/ every 20 s, and add-to-cart
   answered in place (the form posts normally without this script). */
(function () {
  "use strict";
  var page = document.querySelector(".live-event");
  if (!page) return;
  var base = page.getAttribute("data-live-base");
  // The feed may be served by the ASGI service on another origin (public data: no cookies).
  var feedBase = page.getAttribute("data-feed-base") || base;
  var csrf = (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";

  function formatVnd(amount) {
    return new Intl.NumberFormat("vi-VN").format(amount) + " ₫";
  }

  /* --- countdown -------------------------------------------------------------------------- */
  var countdown = page.querySelector("[data-countdown]");
  if (countdown) {
    var start = Date.parse(countdown.getAttribute("data-countdown"));
    var dayLabel = countdown.getAttribute("data-day-label");
    var pad = function (n) { return String(n).padStart(2, "0"); };
    var tick = function () {
      var left = Math.max(0, Math.floor((start - Date.now()) / 1000));
      if (left === 0) {
        countdown.textContent = countdown.getAttribute("data-started-label");
        return;
      }
      var days = Math.floor(left / 86400);
      var clock = pad(Math.floor(left % 86400 / 3600)) + ":" + pad(Math.floor(left % 3600 / 60)) + ":" + pad(left % 60);
      countdown.textContent = (days ? days + " " + dayLabel + " " : "") + clock;
      setTimeout(tick, 1000);
    };
    countdown.setAttribute("aria-live", "off");
    tick();
  }

  if (page.getAttribute("data-phase") !== "live") return;

  /* --- pins ------------------------------------------------------------------------------- */
  var list = page.querySelector("[data-pins]");
  var pinTemplate = document.getElementById("live-pin-template");
  var emptyTemplate = document.getElementById("live-pins-empty");
  var remainingLabel = (page.querySelector("[data-remaining-label]") || {}).dataset;
  var message = page.querySelector(".live-message");

  function field(pin, names) {
    for (var i = 0; i < names.length; i++) if (pin[names[i]] !== undefined) return pin[names[i]];
    return null;
  }

  function renderPin(pin) {
    var item = pinTemplate.content.firstElementChild.cloneNode(true);
    var offer = field(pin, ["offer", "offer_id", "id"]);
    var live = field(pin, ["live_price"]);
    var regular = field(pin, ["regular_price"]);
    var remaining = field(pin, ["remaining"]);
    var image = field(pin, ["image", "image_url"]);
    var link = item.querySelector("[data-pin=product]");
    item.setAttribute("data-offer", offer);
    link.textContent = field(pin, ["product", "product_name"]) || "";
    var url = field(pin, ["product_url"]);
    if (url) link.href = url; else link.removeAttribute("href");
    item.querySelector("[data-pin=variant]").textContent = field(pin, ["variant", "variant_name"]) || "";
    var img = item.querySelector("[data-pin=image]");
    if (image) { img.src = image; img.hidden = false; }
    item.querySelector("[data-pin=live-price]").textContent = formatVnd(live || regular || 0);
    item.querySelector("[data-pin=regular-price]").textContent = live && regular ? formatVnd(regular) : "";
    item.querySelector("[data-pin=remaining]").textContent =
      remaining === null ? "" : remainingLabel.remainingLabel.replace("%(left)s", remaining);
    var form = item.querySelector("form");
    if (form) {
      form.querySelector("input[name=offer]").value = offer;
      form.querySelector("input[name=csrfmiddlewaretoken]").value = csrf;
      if (remaining === 0) form.querySelector("button").disabled = true;
    }
    return item;
  }

  function showPins(pins) {
    if (!list || !pinTemplate) return;
    list.replaceChildren.apply(
      list,
      pins.length ? pins.map(renderPin) : [emptyTemplate.content.firstElementChild.cloneNode(true)]
    );
  }

  /* The feed sends the pins at connect ("snapshot"), then each "pin", "unpin" and "status";
     polling returns the snapshot. Pins are kept in the order they were pinned. */
  var current = [];
  function offerOf(pin) { return String(field(pin, ["offer", "offer_id", "id"])); }

  function fromFeed(data) {
    if (!data) return;
    if (Array.isArray(data.pins)) {
      current = data.pins;
    } else if (data.type === "pin") {
      current = current.filter(function (pin) { return offerOf(pin) !== offerOf(data); }).concat([data]);
    } else if (data.type === "unpin") {
      current = current.filter(function (pin) { return offerOf(pin) !== String(data.offer_id); });
    } else if (data.type === "status") {
      if (data.status !== "live" || data.stream_hidden) window.location.reload();
      return;
    } else {
      return;
    }
    showPins(current);
  }

  var polling = null;
  function poll() {
    if (polling) return;
    var load = function () {
      fetch(feedBase + "pins.json", { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(fromFeed)
        .catch(function () {});
    };
    load();
    polling = setInterval(load, 5000);
  }

  if (window.EventSource) {
    var feed = new EventSource(feedBase + "events/");
    feed.onmessage = function (event) {
      try { fromFeed(JSON.parse(event.data)); } catch (error) { /* a keep-alive or a partial line */ }
    };
    feed.onerror = function () {
      if (feed.readyState === EventSource.CLOSED) poll();
    };
  } else {
    poll();
  }

  /* --- heartbeat -------------------------------------------------------------------------- */
  function beat() {
    if (document.visibilityState === "hidden") return;
    fetch(base + "heartbeat/", {
      method: "POST",
      headers: { "X-CSRFToken": csrf },
      credentials: "same-origin",
    }).catch(function () {});
  }
  beat();
  setInterval(beat, 20000);

  /* --- add to cart in place --------------------------------------------------------------- */
  page.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList.contains("live-buy")) return;
    event.preventDefault();
    var button = form.querySelector("button");
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json", "X-CSRFToken": csrf },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (answer) {
        message.textContent = answer.data.message || "";
        message.classList.toggle("error", !answer.ok);
        var count = document.querySelector(".cart-count");
        var units = answer.data.cart_count !== undefined ? answer.data.cart_count : answer.data.cart_units;
        if (count && units !== undefined) count.textContent = units;
      })
      .catch(function () {
        message.textContent = message.getAttribute("data-error");
        message.classList.add("error");
      })
      .finally(function () { button.disabled = false; });
  });
})();
