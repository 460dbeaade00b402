// Address form: the ward list follows the chosen province without reloading the page
// (without JavaScript, the "Show the wards" button reloads the form with them).
(function () {
  "use strict";
  var province = document.getElementById("province");
  var ward = document.getElementById("ward");
  if (!province || !ward || !province.dataset.wardsUrl) return;
  document.querySelectorAll(".js-hide").forEach(function (el) { el.hidden = true; });
  province.addEventListener("change", function () {
    var code = province.value;
    ward.replaceChildren(new Option(code ? ward.dataset.choose : ward.dataset.provinceFirst, ""));
    ward.disabled = true;
    if (!code) return;
    fetch(province.dataset.wardsUrl + "?province=" + encodeURIComponent(code), {
      headers: { Accept: "application/json" }
    })
      .then(function (response) { return response.ok ? response.json() : { wards: [] }; })
      .then(function (payload) {
        if (province.value !== code) return;
        payload.wards.forEach(function (w) { ward.add(new Option(w.name, w.code)); });
        ward.disabled = !payload.wards.length;
      });
  });
})();
