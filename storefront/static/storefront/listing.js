// Opens the filter panel on wide screens, where it is a sidebar (browsers without
// ::details-content); on phones it stays a collapsible panel.
(function () {
  var panel = document.querySelector("details[data-sidebar]");
  if (!panel || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 900px)");
  function follow() { if (wide.matches) panel.open = true; }
  follow();
  if (wide.addEventListener) wide.addEventListener("change", follow);
})();
