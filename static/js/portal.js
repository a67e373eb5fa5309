// The commune portal: refuse oversized files before sending them, warn before leaving
// unsaved entries, confirm irreversible steps, say so when a request fails, and keep the
// page's own address after a form was refused at its action's address.
(function () {
  "use strict";

  var texts = function () {
    return (document.getElementById("portal-texts") || { dataset: {} }).dataset;
  };

  // A refused form comes back at the address it was posted to (…/remedies/29/evidence/), which
  // only takes forms: put the page's address back, so that a reload or a bookmark opens the page.
  (function restorePageUrl() {
    var wanted = texts().pageUrl;
    if (!wanted || !window.history.replaceState) {
      return;
    }
    var target = new URL(wanted, window.location.href);
    if (target.pathname === window.location.pathname) {
      return;
    }
    var action = window.location.pathname + window.location.search;
    window.history.replaceState(window.history.state, "", target.href);
    // The language switch goes back to the address the page was drawn at.
    document.querySelectorAll("input[name=next]").forEach(function (input) {
      if (input.value === action) {
        input.value = target.pathname + target.search;
      }
    });
  })();

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) {
      return;
    }
    var limit = parseInt(input.dataset.maxBytes, 10);
    var file = input.files && input.files[0];
    input.setCustomValidity(file && file.size > limit ? input.dataset.tooLarge || "" : "");
    input.reportValidity();
  });

  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-dirty-watch")) {
      form.classList.add("is-dirty");
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    form.classList.remove("is-dirty");
  }, true);

  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector("form.is-dirty")) {
      event.preventDefault();
      event.returnValue = texts().unsaved || "";
    }
  });

  function failed(event) {
    var target = event.detail && event.detail.target;
    if (!target) {
      return;
    }
    var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form");
    if (form && form.hasAttribute("data-dirty-watch")) {
      form.classList.add("is-dirty");
    }
    var box = document.createElement("div");
    box.className = "alert alert-danger small py-1 px-2 mt-2";
    box.setAttribute("role", "alert");
    box.textContent = texts().failed || "";
    target.appendChild(box);
  }
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);
})();
