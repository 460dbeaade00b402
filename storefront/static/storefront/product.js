// Product page enhancements; the page works without them.
(function () {
  // A tap on a photo opens it large in a dialog (pinch to zoom) instead of leaving the page.
  var dialog = null;
  function openLarge(link) {
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.className = "zoom-dialog";
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "×";
      close.setAttribute("aria-label", document.documentElement.lang === "vi" ? "Đóng" : "Close");
      close.addEventListener("click", function () { dialog.close(); });
      dialog.appendChild(close);
      dialog.appendChild(document.createElement("img"));
      dialog.addEventListener("click", function (event) { if (event.target === dialog) dialog.close(); });
      document.body.appendChild(dialog);
    }
    var image = dialog.querySelector("img");
    var shown = link.querySelector("img");
    image.src = link.dataset.large || link.href;
    image.alt = shown ? shown.alt : "";
    dialog.showModal();
  }
  if (typeof HTMLDialogElement === "function") {
    document.querySelectorAll(".gallery a.zoom").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        openLarge(link);
      });
    });
  }

  // The bar's price follows the variant chosen.
  var price = document.querySelector(".buy-bar-price");
  document.querySelectorAll(".variant-picker input[name=variant]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      if (price && radio.checked) price.textContent = radio.dataset.price;
    });
  });

  // Sharing: the phone's share sheet (Zalo among its apps) where there is one; copy the link.
  var zalo = document.querySelector("[data-share-url]");
  if (zalo && navigator.share) {
    zalo.addEventListener("click", function (event) {
      event.preventDefault();
      navigator.share({ title: zalo.dataset.shareTitle, url: zalo.dataset.shareUrl }).catch(function () {});
    });
  }
  var copy = document.querySelector("[data-copy]");
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(copy.dataset.copy).then(function () {
        copy.textContent = copy.dataset.copied;
      });
    });
  }
})();
