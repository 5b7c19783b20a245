// Staff workspace enhancements; every page works without this file.
// "Select all on this page" and the keyboard shortcuts of UX §5 (/ j k x Enter), which can be
// turned off on the shortcuts page (remembered in this browser only).
(function () {
  "use strict";
  var KEY = "aduan-staff-shortcuts";
  function enabled() {
    try { return window.localStorage.getItem(KEY) !== "off"; } catch (e) { return true; }
  }
  var toggle = document.querySelector("[data-shortcut-toggle]");
  if (toggle) {
    var box = toggle.querySelector("[data-shortcuts-on]");
    box.checked = enabled();
    toggle.hidden = false;
    box.addEventListener("change", function () {
      try { window.localStorage.setItem(KEY, box.checked ? "on" : "off"); } catch (e) { /* private mode */ }
    });
  }
  var all = document.querySelector("[data-select-all]");
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-item]"));
  if (all && items.length) {
    all.closest(".select-all").hidden = false;
    all.addEventListener("change", function () {
      items.forEach(function (i) { i.checked = all.checked; });
    });
  }
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-row]"));
  var current = -1;
  function move(step) {
    if (!rows.length) { return; }
    if (current >= 0) { rows[current].classList.remove("is-current"); }
    current = Math.max(0, Math.min(rows.length - 1, current + step));
    rows[current].classList.add("is-current");
    rows[current].querySelector("[data-open]").focus();
  }
  document.addEventListener("keydown", function (event) {
    if (!enabled() || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) { return; }
    var search = document.querySelector("[data-shortcut-search]");
    if (event.key === "/" && search) { event.preventDefault(); search.focus(); }
    else if (event.key === "j") { move(1); }
    else if (event.key === "k") { move(-1); }
    else if (event.key === "x" && current >= 0) {
      var box = rows[current].querySelector("[data-item]");
      if (box) { box.checked = !box.checked; }
    }
  });
})();
