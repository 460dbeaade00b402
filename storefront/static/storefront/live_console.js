// Host console: pins follow the live feed (server-sent events), counters refresh every 5 s.
(function () {
  "use strict";
  var root = document.getElementById("live-console");
  if (!root) return;

  function markPinned(offerIds) {
    root.querySelectorAll(".live-offer[data-offer-id]").forEach(function (item) {
      item.classList.toggle("is-pinned", offerIds.indexOf(Number(item.dataset.offerId)) !== -1);
    });
  }

  var pinned = [];
  if (window.EventSource) {
    var feed = new EventSource(root.dataset.eventsUrl);
    feed.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.type === "snapshot") {
        pinned = message.pins.map(function (pin) { return pin.offer_id; });
      } else if (message.type === "pin" && pinned.indexOf(message.offer_id) === -1) {
        pinned.push(message.offer_id);
      } else if (message.type === "unpin") {
        pinned = pinned.filter(function (id) { return id !== message.offer_id; });
      } else if (message.type === "status" && message.status !== "live") {
        pinned = [];
      }
      markPinned(pinned);
    };
  }

  function refreshCounters() {
    fetch(root.dataset.countersUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (counters) {
        if (!counters) return;
        document.getElementById("counter-viewers").textContent = counters.viewers_now;
        document.getElementById("counter-carts").textContent = counters.add_to_carts;
        document.getElementById("counter-orders").textContent = counters.orders;
        document.getElementById("counter-revenue").textContent = counters.revenue_display;
      })
      .catch(function () {});
  }
  setInterval(refreshCounters, 5000);
})();
