// The availability grid: press and drag to paint, arrow keys to move. Works without it.
(function () {
  "use strict";

  function setUp(table) {
    var boxes = Array.prototype.slice.call(table.querySelectorAll("input[type=checkbox]"));
    var painting = null; // the value being painted while the pointer is down

    function paint(box) {
      if (painting !== null && box.checked !== painting) {
        box.checked = painting;
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }

    table.addEventListener("pointerdown", function (event) {
      var box = event.target.closest("td") && event.target.closest("td").querySelector("input");
      if (!box) {
        return;
      }
      event.preventDefault();
      painting = !box.checked;
      paint(box);
      box.focus();
      // Touch pointers are captured by the first cell; find cells under the finger instead.
      if (event.target.releasePointerCapture && event.pointerId !== undefined) {
        try { event.target.releasePointerCapture(event.pointerId); } catch (error) { /* none */ }
      }
    });
    table.addEventListener("pointermove", function (event) {
      if (painting === null) {
        return;
      }
      var under = document.elementFromPoint(event.clientX, event.clientY);
      var cell = under && under.closest("td");
      if (cell && table.contains(cell)) {
        paint(cell.querySelector("input"));
      }
    });
    document.addEventListener("pointerup", function () { painting = null; });
    document.addEventListener("pointercancel", function () { painting = null; });
    // The click after a pointerdown would toggle the box back: the pointer already painted it.
    table.addEventListener("click", function (event) {
      if (event.detail > 0 && event.target.matches("input[type=checkbox]")) {
        event.preventDefault();
      }
    });

    // Arrow keys move between cells (7 a row); Space ticks as usual.
    table.addEventListener("keydown", function (event) {
      var index = boxes.indexOf(event.target);
      if (index < 0) {
        return;
      }
      var step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 }[event.key];
      if (document.documentElement.dir === "rtl" && (event.key === "ArrowLeft" || event.key === "ArrowRight")) {
        step = -step;
      }
      if (step === undefined) {
        return;
      }
      var next = boxes[index + step];
      if (next) {
        event.preventDefault();
        next.focus();
      }
    });

    var tools = document.querySelector(".grid-tools");
    if (tools) {
      tools.hidden = false;
      tools.addEventListener("click", function (event) {
        var mode = event.target.dataset.gridFill;
        if (!mode) {
          return;
        }
        boxes.forEach(function (box) {
          var slot = parseInt(box.value, 10) % 96;
          box.checked = mode === "all" || (mode === "day" && slot >= 32 && slot < 88);
        });
      });
    }
  }

  function browserZoneButton() {
    var button = document.getElementById("use-browser-zone");
    var input = document.getElementById("id_timezone");
    var zone;
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (error) {
      return;
    }
    if (!button || !input || !zone || input.value === zone) {
      return;
    }
    button.textContent = button.dataset.template.replace("%s", zone);
    button.hidden = false;
    button.addEventListener("click", function () {
      input.value = zone;
      button.hidden = true;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table.week-grid").forEach(setUp);
    browserZoneButton();
  });
})();
