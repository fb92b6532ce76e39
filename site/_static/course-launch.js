// Launch buttons of the course website: the JupyterHub links are completed with
// the hub address the reader sets once (kept in this browser's localStorage).
(function () {
  "use strict";
  var KEY = "gradient-norms-course.jupyterhub";
  var HUB = /^https?:\/\/[^\s\/?#]+(\/[^\s?#]*)?$/;
  var hubInPage = "";  // used when the browser keeps no localStorage

  function storedHub() {
    try { return window.localStorage.getItem(KEY) || hubInPage; } catch (e) { return hubInPage; }
  }

  function update(message) {
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
    document.querySelectorAll(".course-hub-form").forEach(function (form) {
      var input = form.elements.hub, status = form.querySelector(".course-hub-status");
      if (document.activeElement !== input) input.value = hub;
      if (!status.hasAttribute("data-help")) status.setAttribute("data-help", status.textContent);
      status.textContent = message || (hub ? "The JupyterHub button opens this notebook on " + hub +
        " (nbgitpuller copies the course into your account there first). Change the address above."
        : status.getAttribute("data-help"));
    });
  }

  function onSubmit(event) {
    event.preventDefault();
    var value = event.target.elements.hub.value.trim();
    if (value && !HUB.test(value)) {
      update("That is not a hub address: it should look like https://hub.example.edu");
      return;
    }
    hubInPage = value;
    try {
      if (value) window.localStorage.setItem(KEY, value); else window.localStorage.removeItem(KEY);
    } catch (e) { /* storage disabled: the address holds for this page only */ }
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".course-hub-form").forEach(function (form) {
      form.addEventListener("submit", onSubmit);
    });
    update();
  });
})();
