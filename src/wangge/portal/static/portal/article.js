/* The article page's volatile parts, kept out of the cached HTML: the view count (a POST
   beacon answering {"views": n}), the remembered font size and the print button. */
(function () {
  "use strict";
  var SIZES = ["large", "medium", "small"];
  var KEY = "wangge.portal.fontSize";

  function stored() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }

  function remember(size) {
    try { window.localStorage.setItem(KEY, size); } catch (e) { /* private mode: not remembered */ }
  }

  function applySize(size) {
    if (SIZES.indexOf(size) < 0) { size = "medium"; }
    var text = document.getElementById("article-text");
    SIZES.forEach(function (s) { text.classList.toggle("font-" + s, s === size); });
    document.querySelectorAll(".font-switch").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.dataset.size === size));
    });
  }

  function countView(reading) {
    var shown = document.getElementById("view-count");
    fetch(reading.dataset.viewUrl, { method: "POST", keepalive: true, credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) { if (answer && typeof answer.views === "number") { shown.textContent = String(answer.views); } })
      .catch(function () { /* offline: the count stays unknown */ });
  }

  function start() {
    var reading = document.getElementById("reading");
    if (!reading) { return; }
    applySize(stored());
    document.querySelectorAll(".font-switch").forEach(function (button) {
      button.addEventListener("click", function () { applySize(button.dataset.size); remember(button.dataset.size); });
    });
    document.getElementById("print-button").addEventListener("click", function () { window.print(); });
    countView(reading);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
