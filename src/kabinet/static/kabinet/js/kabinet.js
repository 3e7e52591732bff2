// Kabinet's own script: small, no HTML built from data (strict CSP, no inline handlers).
(function () {
  "use strict";

  // The panel of the version for the visually impaired is open for everyone without JavaScript; on
  // a phone it filled a screen and a half before any content, so it starts folded there unless the
  // person opened it on an earlier page of this visit.
  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.querySelector("[data-a11y-panel]");
    if (!panel) {
      return;
    }
    var key = "kabinet-a11y-panel-open";
    if (window.matchMedia("(max-width: 767.98px)").matches && sessionStorage.getItem(key) !== "1") {
      panel.open = false;
    }
    panel.querySelector("summary").addEventListener("click", function () {
      sessionStorage.setItem(key, panel.open ? "0" : "1");
    });
  });

  // htmx requests carry the CSRF token from the page's meta tag.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) {
      event.detail.headers["X-CSRFToken"] = meta.content;
    }
  });

  // htmx swaps a part of the page (a meter's card) together with the button that had focus, and the
  // focus falls back to <body>. Move it to what the new part asks of the user: the first field with an
  // error, else the field marked data-focus-after-swap (a confirmation), else the result message.
  // A part that brings an error summary (a refused form with files, see uploads.js) gives the focus
  // to the summary, as after a page load, even when htmx put it back on a field kept by its id.
  // Only after a form was sent: a polling refresh must not move anyone's focus.
  document.addEventListener("htmx:afterSettle", function (event) {
    var config = event.detail.requestConfig;
    if (!config || !config.elt || config.elt.tagName !== "FORM") {
      return;
    }
    var target = event.detail.target;
    var part = target && target.id ? document.getElementById(target.id) : null;
    if (!part) {
      return;
    }
    var summary = part.querySelector("#form-errors");
    if (summary) {
      summary.focus();
      return;
    }
    var active = document.activeElement;
    if (active && active !== document.body) {
      return;
    }
    var next =
      part.querySelector('[aria-invalid="true"]') ||
      part.querySelector("[data-focus-after-swap]") ||
      part.querySelector('[role="status"], [role="alert"]');
    if (!next) {
      return;
    }
    if (next.matches('[role="status"], [role="alert"]') && !next.hasAttribute("tabindex")) {
      next.setAttribute("tabindex", "-1");
    }
    next.focus();
  });

  // «Распечатать» buttons (data-kabinet-print): the browser's print dialog; no inline handlers (CSP).
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-kabinet-print]")) {
      window.print();
    }
  });

  // After a failed form submission, move focus to the error summary so screen readers announce it.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("form-errors");
    if (summary) {
      summary.focus();
    }
  });
})();
