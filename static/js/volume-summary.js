/* The builder's sticky volume summary: after an edit, say which muscles it changed.
 * Progressive enhancement: without JavaScript the summary still lists the muscles below MEV and
 * above MRV (server-rendered); this adds "Chest 6 → 9 sets" for the last edit. Loaded as a static
 * file (no inline script), so a Content-Security-Policy without 'unsafe-inline' allows it. */
(function () {
  "use strict";
  var before = null;

  function snapshot() {
    var sets = {};
    document.querySelectorAll("#volume-panel .muscle").forEach(function (li) {
      sets[li.id] = {
        sets: li.getAttribute("data-sets"),
        name: (li.querySelector(".muscle-name") || li).textContent.trim(),
      };
    });
    return sets;
  }

  document.addEventListener("htmx:beforeSwap", function () {
    if (document.getElementById("volume-panel")) before = snapshot();
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!before) return;
    var after = snapshot();
    var changes = [];
    Object.keys(after).forEach(function (id) {
      var old = before[id];
      var li = document.getElementById(id);
      if (old && old.sets !== after[id].sets) {
        var status = li && li.querySelector(".status");
        changes.push(after[id].name + " " + old.sets + " → " + after[id].sets + " sets" +
          (status ? " (" + status.textContent.trim().toLowerCase() + ")" : ""));
        if (li) li.classList.add("just-changed");
      }
    });
    before = null;
    var out = document.querySelector("#volume-summary .summary-change");
    if (out && changes.length) {
      out.textContent = "Last change: " + changes.slice(0, 4).join(", ") + (changes.length > 4 ? " …" : "");
    }
  });
})();
