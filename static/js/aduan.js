// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "id";
  function num(n) { return n.toLocaleString(lang === "en" ? "en-GB" : "id-ID"); }

  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }

  // A second tap on a submit button does nothing for a moment (the server files once anyway).
  document.addEventListener("submit", function (e) {
    var button = e.submitter;
    if (!button || !button.hasAttribute("data-prevent-double-click")) { return; }
    if (button.getAttribute("data-clicked")) { e.preventDefault(); return; }
    button.setAttribute("data-clicked", "1");
    setTimeout(function () { button.removeAttribute("data-clicked"); }, 3000);
  });

  // Character count under textareas with a server-side limit. The wording comes from the page,
  // translated, for 1 ("-one") and for any other number.
  Array.prototype.forEach.call(document.querySelectorAll("textarea[data-maxlength]"), function (area) {
    var max = parseInt(area.getAttribute("data-maxlength"), 10);
    function say(kind, n) {
      var text = area.getAttribute("data-count-" + kind + (n === 1 ? "-one" : ""));
      return (text || "").replace("%(n)s", num(n));
    }
    if (!area.getAttribute("data-count-left")) { return; }
    var status = document.createElement("p");
    status.className = "hint char-count";
    status.id = area.id + "-count";
    status.setAttribute("aria-live", "polite");
    area.parentNode.insertBefore(status, area.nextSibling);
    function update() {
      var left = max - area.value.length;
      status.textContent = say(left >= 0 ? "left" : "over", Math.abs(left));
      status.classList.toggle("error-message", left < 0);
    }
    area.addEventListener("input", update);
    update();
  });

  // Conditional reveal: the reason box shows only for the answer it belongs to.
  Array.prototype.forEach.call(document.querySelectorAll("[data-reveal-for]"), function (box) {
    var radio = document.getElementById(box.getAttribute("data-reveal-for"));
    if (!radio) { return; }
    var group = document.querySelectorAll('input[name="' + radio.name + '"]');
    function sync() { box.hidden = !radio.checked && !box.querySelector(".error-message"); }
    Array.prototype.forEach.call(group, function (r) { r.addEventListener("change", sync); });
    radio.setAttribute("aria-controls", box.id || (box.id = radio.id + "-conditional"));
    sync();
  });

  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
