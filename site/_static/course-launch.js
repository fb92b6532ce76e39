// Launch buttons of the course website: complete the JupyterHub links with the
// hub address the reader sets (kept in this browser's localStorage).
(function () {
  "use strict";
  var KEY = "gradient-norms-course.jupyterhub";
  var HUB = /^https?:\/\/[^\s\/?#]+(\/[^\s?#]*)?$/;

  function storedHub() {
    try { return window.localStorage.getItem(KEY) || ""; } catch (e) { return ""; }
  }

  function update() {
    var hub = storedHub().replace(/\/+$/, "");
    document.querySelectorAll("a.course-launch-hub").forEach(function (link) {
      if (hub) {
        link.href = hub + link.getAttribute("data-hub-suffix");
        link.textContent = "JupyterHub";
        link.classList.remove("course-launch-unset");
      } else {
        link.href = "#course-hub-form";
        link.textContent = "JupyterHub (set your hub below)";
        link.classList.add("course-launch-unset");
      }
    });
    document.querySelectorAll(".course-hub-form input[name=hub]").forEach(function (input) {
      if (document.activeElement !== input) input.value = hub;
    });
  }

  function onSubmit(event) {
    event.preventDefault();
    var form = event.target;
    var value = form.elements.hub.value.trim();
    var status = form.querySelector(".course-hub-status");
    if (value && !HUB.test(value)) {
      status.textContent = "That is not a hub address: it should look like https://hub.example.edu";
      return;
    }
    try {
      if (value) window.localStorage.setItem(KEY, value); else window.localStorage.removeItem(KEY);
    } catch (e) { /* storage disabled: the links still change on this page */ }
    status.textContent = value ? "JupyterHub buttons now open this notebook on " + value + "."
                               : "Hub address cleared.";
    update();
    if (!storedHub() && value) {
      document.querySelectorAll("a.course-launch-hub").forEach(function (link) {
        link.href = value.replace(/\/+$/, "") + link.getAttribute("data-hub-suffix");
        link.textContent = "JupyterHub";
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".course-hub-form").forEach(function (form) {
      form.addEventListener("submit", onSubmit);
    });
    update();
  });
})();
