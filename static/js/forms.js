/* Long text fields say how much fits, instead of cutting silently (issue 15 item 13).
 *
 * A field with maxlength >= 300 (notes, descriptions) gets a live counter ("420 of 500
 * characters", shown from 80 % of the limit). Its maxlength is lifted so that pasted text is never cut without a word: past the
 * limit the counter turns into an error and the server refuses the save with the limit in its
 * message, keeping what was typed. Without JavaScript the browser's own maxlength applies.
 * A static file (no inline script), loaded by base.html. */
(function () {
  "use strict";
  var MIN = 300;  // notes (500) and descriptions (2,000); names keep the browser's own limit

  function counterFor(field) {
    var limit = parseInt(field.getAttribute("data-limit"), 10);
    var id = (field.id || field.name) + "-count";
    var out = document.getElementById(id);
    if (!out) {
      out = document.createElement("p");
      out.id = id;
      out.className = "char-count";
      out.setAttribute("aria-live", "polite");
      field.insertAdjacentElement("afterend", out);
      var described = field.getAttribute("aria-describedby");
      field.setAttribute("aria-describedby", described ? described + " " + id : id);
    }
    var length = field.value.length;
    var over = length - limit;
    out.textContent = over > 0
      ? over + " character" + (over === 1 ? "" : "s") + " over the limit of " + limit + ": shorten it to save."
      : length + " of " + limit + " characters";
    out.classList.toggle("char-count-over", over > 0);
    out.classList.toggle("char-count-near", length >= limit * 0.8);
    if (over > 0) field.setAttribute("aria-invalid", "true");
    else if (field.getAttribute("data-limit-invalid") === "1") field.removeAttribute("aria-invalid");
    field.setAttribute("data-limit-invalid", over > 0 ? "1" : "0");
  }

  function prepare(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("textarea[maxlength], input[maxlength]").forEach(function (field) {
      var limit = parseInt(field.getAttribute("maxlength"), 10);
      if (!(limit >= MIN) || field.type === "search") return;
      field.setAttribute("data-limit", String(limit));
      field.removeAttribute("maxlength");
      counterFor(field);
    });
  }

  document.addEventListener("input", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-limit")) counterFor(event.target);
  });
  document.addEventListener("DOMContentLoaded", function () { prepare(document); });
  // New content from htmx, as soon as it is in the page (before htmx settles it): a row's form
  // opened by a tap must not cap a paste made at once. The whole page is looked at because an
  // outerHTML swap's event names the element that was replaced; prepared fields are skipped.
  document.addEventListener("htmx:afterSwap", function () { prepare(document); });
})();
