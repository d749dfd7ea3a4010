// The translation editor: Ctrl+Enter (or Cmd+Enter) saves the unit and moves on.
// Progressive enhancement only: without JavaScript every unit has its own Save button.
(function () {
  "use strict";

  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) {
      return;
    }
    if (!field.matches || !field.matches("form[data-ctrl-enter] textarea")) {
      return;
    }
    event.preventDefault();
    field.form.requestSubmit();
  });

  // After htmx swaps a unit in: on success focus the next unit, on an error the same one.
  document.addEventListener("htmx:afterSwap", function (event) {
    // With outerHTML the target is the element swapped out: find its successor by id.
    var unit = event.detail.target && document.getElementById(event.detail.target.id);
    if (!unit || !unit.classList.contains("unit")) {
      return;
    }
    var here = unit.querySelector("textarea");
    if (unit.hasAttribute("data-saved")) {
      var next = unit.nextElementSibling;
      while (next && !next.querySelector("textarea")) {
        next = next.nextElementSibling;
      }
      (next ? next.querySelector("textarea") : here).focus();
    } else if (here) {
      here.focus();
    }
  });
})();
