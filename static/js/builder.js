/* The program builder's small helpers. Progressive enhancement: the builder works without
 * JavaScript; this file (a static file, no inline script, so a Content-Security-Policy without
 * 'unsafe-inline' allows it) adds three things:
 *  1. the sticky volume summary says which muscles the last edit changed ("Chest 6 → 9 sets");
 *  2. after Remove or Delete, focus moves to the toast's Undo button (instead of <body>), so a
 *     keyboard user can undo at once and Tab on from there;
 *  3. a row with typed but unsaved changes is marked, and leaving the page asks first;
 *  4. on a phone, sessions after the first start collapsed (one tap opens each), so the page is
 *     a list of the program's days rather than a dozen screens of rows;
 *  5. a picker's muscle and equipment selects and describe field, rendered once per page, are copied into the picker
 *     whose filters open;
 *  6. a tap on an exercise row opens its form in place (htmx; without JavaScript the row is a link
 *     to a page with the same form), and focus follows: to Sets when the form opens, to the first
 *     field with an error when a save fails, back to the row when it is shown again. */
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

  function describeChanges() {
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
  }

  function isRemoval(config) {
    // The URL the request went to: a row's Remove button posts its row's form to its formaction.
    var elt = config.elt;
    var url = config.path || (elt && (elt.getAttribute("hx-post") || elt.getAttribute("formaction"))) || "";
    return /\/(remove|delete)\/$/.test(url);
  }

  document.addEventListener("htmx:beforeSwap", function () {
    if (document.getElementById("volume-panel")) before = snapshot();
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    describeChanges();
    var config = event.detail && event.detail.requestConfig;
    if (config && isRemoval(config)) {
      var undo = document.querySelector("#toast .undo-form button");
      if (undo) undo.focus();
    }
  });

  // Phones: collapse every session but the first (a session with a form error stays open).
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.matchMedia("(max-width: 639.98px)").matches) return;
    document.querySelectorAll("details.session-body").forEach(function (details, index) {
      if (index > 0 && !details.querySelector("[aria-invalid='true'], .errorlist")) details.open = false;
    });
  });

  // A picker's muscle and equipment selects and its describe field: one copy per page
  // (<template id="picker-filter-fields"> and "picker-ask-field"), put into a picker when its
  // filters first open (without JavaScript, a link to the picker page, which has them all). The
  // describe field goes outside .picker-filters, whose changes search at once: a description
  // searches (and spends an AI query) only when submitted.
  function fillSlot(slot, templateId, suffix) {
    var fields = document.getElementById(templateId);
    if (!slot || !fields) return;
    var copy = fields.content.cloneNode(true);
    copy.querySelectorAll("[data-id]").forEach(function (el) {
      el.id = el.getAttribute("data-id") + "-" + suffix;
    });
    copy.querySelectorAll("label[data-for]").forEach(function (el) {
      el.htmlFor = el.getAttribute("data-for") + "-" + suffix;
    });
    slot.replaceChildren(copy);
  }
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.matches || !details.matches("details.picker-more") || !details.open) return;
    var slot = details.querySelector(".picker-filters[data-suffix]");
    if (!slot || slot.querySelector("select")) return;
    var suffix = slot.getAttribute("data-suffix");
    fillSlot(details.querySelector(".picker-ask"), "picker-ask-field", suffix);
    fillSlot(slot, "picker-filter-fields", suffix);
  }, true);

  // Unsaved edits in an exercise row.
  function markDirty(form, dirty) {
    form.classList.toggle("is-dirty", dirty);
    var save = form.querySelector("button[id^='save-']");
    if (save) save.classList.toggle("secondary", !dirty);
  }
  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form.se-form");
    if (form) markDirty(form, true);
  });
  document.addEventListener("submit", function (event) {
    if (event.target.matches && event.target.matches("form.se-form")) markDirty(event.target, false);
  }, true);
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form.se-form");
    if (form) markDirty(form, false);
  });
  // Rows: a tap opens the row's form in place; focus follows the row through its swaps.
  var focusRow = null;
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.se-open");
    if (!link || !window.htmx || event.defaultPrevented || event.button !== 0 ||
        event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var row = link.closest("li.se-row");
    if (!row) return;
    event.preventDefault();
    focusRow = row.id;
    window.htmx.ajax("GET", link.getAttribute("href"), { target: row, swap: "outerHTML" });
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var row = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("li.se-row");
    if (row && row.id) focusRow = row.id;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!focusRow) return;
    var row = document.getElementById(focusRow);
    focusRow = null;
    if (!row) return;
    // A field the person already chose in the new row (a tap faster than htmx settles) keeps it.
    var active = document.activeElement;
    if (active && active !== document.body && row.contains(active) && active.matches("input, textarea, select")) return;
    var target = row.querySelector("[aria-invalid='true']") || row.querySelector("input[name='sets']") ||
      row.querySelector("a.se-open");
    if (target) target.focus();
  });
  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector("form.se-form.is-dirty")) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
