// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Old names some browsers still report, mapped to current IANA names (as the server does).
  var LEGACY_ZONES = {
    "Asia/Calcutta": "Asia/Kolkata",
    "Asia/Katmandu": "Asia/Kathmandu",
    "Asia/Saigon": "Asia/Ho_Chi_Minh",
    "Asia/Rangoon": "Asia/Yangon",
    "Europe/Kiev": "Europe/Kyiv",
    "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
    "Etc/UTC": "UTC",
    "Etc/GMT": "UTC"
  };

  // Offer the browser's time zone in empty time-zone fields (sign-up, profile, application).
  function offerBrowserZone() {
    var zone;
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (error) {
      return;
    }
    zone = LEGACY_ZONES[zone] || zone;
    document.querySelectorAll("input[data-browser-timezone]").forEach(function (input) {
      if (!input.value && zone) {
        input.value = zone;
      }
      var hint = document.getElementById(input.id + "-browser");
      if (hint && zone) {
        hint.textContent = hint.dataset.template.replace("%s", zone);
        hint.hidden = false;
      }
    });
  }

  // Selects marked data-autosubmit submit their form on change (the language chooser).
  function autosubmit() {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () {
        select.form.submit();
      });
    });
    document.querySelectorAll(".js-hidden").forEach(function (element) {
      element.classList.add("visually-hidden");
    });
  }

  // <span data-countdown data-deadline="ISO instant"> counts down to the instant.
  function countdowns() {
    var items = document.querySelectorAll("[data-countdown]");
    if (!items.length) {
      return;
    }
    function tick() {
      items.forEach(function (item) {
        var left = Date.parse(item.dataset.deadline) - Date.now();
        if (isNaN(left)) {
          return;
        }
        if (left <= 0) {
          item.textContent = item.dataset.closed || "";
          return;
        }
        var days = Math.floor(left / 86400000);
        var hours = Math.floor((left % 86400000) / 3600000);
        var minutes = Math.floor((left % 3600000) / 60000);
        item.textContent = (item.dataset.template || "%d d %h h %m min")
          .replace("%d", days).replace("%h", hours).replace("%m", minutes);
      });
    }
    tick();
    window.setInterval(tick, 30000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    offerBrowserZone();
    autosubmit();
    countdowns();
  });
})();
