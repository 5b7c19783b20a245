// Optional staff enhancements: "select all", shortcuts (UX §5), htmx swap announcements (§6).
(function () {
  "use strict";
  var KEY = "aduan-staff-shortcuts";
  function enabled() {
    try { return window.localStorage.getItem(KEY) !== "off"; } catch (e) { return true; }
  }
  function all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }
  var toggle = document.querySelector("[data-shortcut-toggle]");
  if (toggle) {
    var box = toggle.querySelector("[data-shortcuts-on]");
    box.checked = enabled();
    toggle.hidden = false;
    box.addEventListener("change", function () {
      try { window.localStorage.setItem(KEY, box.checked ? "on" : "off"); } catch (e) { /* private mode */ }
    });
  }
  var current = -1;
  // Runs on load and again after every htmx swap of #main (new rows, new checkboxes).
  function setup() {
    current = -1;
    var head = document.querySelector("[data-select-all]");
    var items = all("[data-item]");
    if (head && items.length) {
      head.closest(".select-all").hidden = false;
      head.addEventListener("change", function () {
        items.forEach(function (i) { i.checked = head.checked; });
      });
    }
  }
  setup();
  function move(step) {
    var rows = all("[data-row]");
    if (!rows.length) { return; }
    if (rows[current]) { rows[current].classList.remove("is-current"); }
    current = Math.max(0, Math.min(rows.length - 1, current + step));
    rows[current].classList.add("is-current");
    rows[current].querySelector("[data-open]").focus();
  }
  // [data-key]: a link is followed; a field or button is shown and focused.
  function byKey(e) {
    var el = /^[jktnd/]$/.test(e.key) && document.querySelector('[data-key="' + e.key + '"]');
    if (el) {
      e.preventDefault();
      (el.closest("details") || {}).open = true;
      if (el.tagName === "A") { el.click(); } else { el.focus(); }
    }
    return !!el;
  }
  document.addEventListener("keydown", function (event) {
    if (!enabled() || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (/^(input|textarea|select)$/i.test(event.target.tagName) || event.target.isContentEditable) { return; }
    var row = all("[data-row]")[current];
    if (byKey(event)) { return; }
    if (event.key === "j") { move(1); }
    else if (event.key === "k") { move(-1); }
    else if (event.key === "x" && row) {
      var item = row.querySelector("[data-item]");
      if (item) { item.checked = !item.checked; }
    }
  });

  var status = document.querySelector("[data-hx-status]");
  document.addEventListener("htmx:afterSettle", function (e) {
    if (e.target.id !== "main") { return; }
    var post = e.detail.requestConfig && e.detail.requestConfig.verb === "post";
    var problem = document.querySelector("[data-error-summary],[data-action-error]");
    var text = status && status.getAttribute(problem ? "data-failed" : post ? "data-done" : "data-list");
    if (status) {
      // emptied first so that the same words twice in a row are announced again
      status.textContent = "";
      setTimeout(function () { status.textContent = text; }, 50);
    }
    var lost = !document.activeElement || document.activeElement === document.body;
    // An action opened on demand (?open=): its first field, ready to type in.
    var opened = !post && document.querySelector("[data-opened-action]");
    var field = opened && (opened.querySelector("[data-key]") ||
      opened.querySelector("textarea, select, input:not([type=hidden]), button"));
    var to = problem || (post ? e.target : field || (lost && document.getElementById("queue-results")));
    if (to) { to.focus({ preventScroll: !problem && !field }); }
    setup();
  });
  // htmx cannot show it: a GET loads normally; a failed action reloads, never re-sent.
  function fallback(e) {
    var d = e.detail;
    if (d.requestConfig && d.requestConfig.verb === "get") { window.location.href = d.pathInfo.finalRequestPath; }
    else { window.location.reload(); }
  }
  document.addEventListener("htmx:responseError", fallback);
  document.addEventListener("htmx:sendError", fallback);
})();
