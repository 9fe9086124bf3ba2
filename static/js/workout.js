/* The workout page, quicker with JavaScript (it works without: plain forms and redirects).
 *
 * - Logging a set never waits for the network: the set goes into a queue kept in localStorage
 *   (with the client UUID the form carries) and shows at once as "waiting to send"; the queue is
 *   sent in order, one set at a time, whenever the connection allows. The server stores each
 *   client UUID once, so a set sent twice (a retry after a lost answer) is never doubled, and a
 *   set is only taken off the queue once the server answered for it: none is lost.
 * - The rest timer starts when a set is logged, from the exercise's planned rest: a countdown,
 *   then vibration and a short tone where the browser allows.
 * - Start forms send the browser's time zone (weeks run in the lifter's time zone).
 */
(function () {
  "use strict";

  var QUEUE_KEY = "hypertroq.setQueue.v1";
  var RETRY_MS = 4000;

  // --- helpers ----------------------------------------------------------------------------------

  function uuid4() {
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function loadQueue() {
    try {
      var raw = window.localStorage.getItem(QUEUE_KEY);
      var items = raw ? JSON.parse(raw) : [];
      return Array.isArray(items) ? items : [];
    } catch (e) {
      return [];
    }
  }

  function saveQueue(items) {
    try {
      window.localStorage.setItem(QUEUE_KEY, JSON.stringify(items));
      return true;
    } catch (e) {
      return false;
    }
  }

  function removeFromQueue(clientId) {
    saveQueue(loadQueue().filter(function (item) { return item.clientId !== clientId; }));
  }

  function fromHtml(html) {
    var t = document.createElement("template");
    t.innerHTML = html.trim();
    return t.content.firstElementChild;
  }

  // --- time zone on start forms -----------------------------------------------------------------

  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
  document.querySelectorAll('input[name="tz"]').forEach(function (input) { input.value = zone; });

  // --- rest timer -------------------------------------------------------------------------------

  var timer = document.getElementById("rest-timer");
  var tick = null;

  function beep() {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) return;
      var ctx = new Ctx();
      var osc = ctx.createOscillator();
      var gain = ctx.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.1;
      osc.connect(gain);
      gain.connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.25);
    } catch (e) { /* no sound: fine */ }
  }

  function fmt(seconds) {
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function startRest(seconds, exerciseName) {
    if (!timer || !(seconds > 0)) return;
    var end = Date.now() + seconds * 1000;
    var remaining = timer.querySelector(".rest-remaining");
    var detail = timer.querySelector(".rest-detail");
    timer.hidden = false;
    timer.classList.remove("done");
    if (detail && exerciseName) detail.textContent = "(" + seconds + " s after your set of " + exerciseName + ")";
    if (tick) window.clearInterval(tick);
    var last = -1;
    function update() {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      if (left !== last) {
        last = left;
        // Announce only whole minutes and the end to screen readers; the text updates every second.
        timer.setAttribute("aria-live", left % 60 === 0 ? "polite" : "off");
        remaining.textContent = left > 0 ? fmt(left) + " left" : "over: time for the next set";
      }
      if (left <= 0) {
        window.clearInterval(tick);
        tick = null;
        timer.classList.add("done");
        if (navigator.vibrate) { try { navigator.vibrate([200, 100, 200]); } catch (e) { /* ignore */ } }
        beep();
      }
    }
    update();
    tick = window.setInterval(update, 250);
  }

  if (timer) {
    var left = parseInt(timer.getAttribute("data-seconds-left") || "0", 10);
    if (left > 0) startRest(left, "");
  }

  // --- offline-proof set logging ----------------------------------------------------------------

  var page = document.getElementById("workout");
  if (!page) return;
  var workoutId = page.getAttribute("data-workout");
  var status = document.getElementById("offline-status");
  var sending = false;
  var retry = null;

  function listFor(entryId) {
    return page.querySelector('ol.sets[data-entry="' + entryId + '"]');
  }

  function rowFor(clientId) {
    return page.querySelector('li.set-row[data-client-id="' + clientId + '"]');
  }

  function pendingRow(item) {
    var li = document.createElement("li");
    li.className = "set-row pending";
    li.setAttribute("data-client-id", item.clientId);
    var span = document.createElement("span");
    span.className = "set-text";
    span.textContent = item.text;
    li.appendChild(span);
    return li;
  }

  function showStatus(prefix) {
    if (!status) return;
    var waiting = loadQueue().filter(function (item) { return item.workout === workoutId; }).length;
    if (waiting === 0) {
      status.hidden = true;
      status.textContent = "";
    } else {
      status.hidden = false;
      status.textContent = (prefix || (navigator.onLine === false ? "You are offline. " : "Sending… ")) +
        waiting + (waiting === 1 ? " set is" : " sets are") +
        " kept on this phone and sent, in order, as soon as the connection allows.";
    }
  }

  function scheduleRetry() {
    if (retry) return;
    retry = window.setTimeout(function () { retry = null; flush(); }, RETRY_MS);
  }

  function fail(item, message) {
    var row = rowFor(item.clientId);
    if (row) {
      row.classList.remove("pending");
      row.classList.add("failed");
      var note = document.createElement("span");
      note.className = "set-note errorlist";
      note.textContent = message;
      row.appendChild(note);
    }
  }

  function flush() {
    if (sending) return;
    var items = loadQueue();
    if (items.length === 0) { showStatus(); return; }
    sending = true;
    var item = items[0];
    // The page's current CSRF token (it changes when the lifter signs in again), else the stored one.
    var tokenInput = document.querySelector('input[name="csrfmiddlewaretoken"]');
    var csrf = tokenInput ? tokenInput.value :
      ((item.fields.filter(function (p) { return p[0] === "csrfmiddlewaretoken"; })[0] || [])[1] || "");
    var body = new URLSearchParams();
    item.fields.forEach(function (pair) {
      if (pair[0] !== "csrfmiddlewaretoken") body.append(pair[0], pair[1]);
    });
    body.append("csrfmiddlewaretoken", csrf);
    fetch(item.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "HX-Request": "true", "X-CSRFToken": csrf },
    }).then(function (response) {
      return response.text().then(function (text) {
        sending = false;
        if (response.redirected || response.status === 403) {
          // Signed out (redirected to the login page) or a stale page: the set was NOT stored.
          // Keep it; it is sent once the lifter is signed in again.
          showStatus("Signed out? Sign in again (you can open a new tab) and reload this page: ");
          scheduleRetry();
        } else if (response.ok) {
          removeFromQueue(item.clientId);
          var fresh = fromHtml(text);
          var existing = rowFor(item.clientId);
          if (fresh && existing) {
            existing.replaceWith(fresh);
          } else if (fresh && item.workout === workoutId) {
            var list = listFor(item.entry);
            if (list) list.appendChild(fresh);
          }
          // An exercise with a set logged can no longer be swapped (the server refuses): its
          // Swap button goes, as it is absent when the page is drawn with sets.
          var sets = listFor(item.entry);
          var swap = sets && sets.closest("li") && sets.closest("li").querySelector("[data-swap]");
          if (swap) swap.remove();
          showStatus();
          flush();
        } else if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
          // The server refused this set (invalid, or not yours): it will never be accepted.
          removeFromQueue(item.clientId);
          var holder = document.createElement("div");
          holder.innerHTML = text;
          fail(item, (holder.textContent || "The set was refused.").trim().slice(0, 300));
          showStatus();
          flush();
        } else {
          showStatus();
          scheduleRetry();
        }
      });
    }).catch(function () {
      // No connection (or it dropped mid-way): keep the set, try again later.
      sending = false;
      showStatus();
      scheduleRetry();
    });
  }

  function setText(form) {
    var unitLabel = form.querySelector('label[for^="weight-"]');
    var unit = unitLabel ? (unitLabel.textContent.match(/\((\w+)\)/) || [])[1] || "" : "";
    var weight = form.elements.weight.value;
    var reps = form.elements.reps.value;
    var rir = form.elements.rir ? form.elements.rir.value : "";
    return weight + " " + unit + " × " + reps + (rir ? " @ RIR " + rir : "");
  }

  page.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("set-form")) return;
    if (typeof form.reportValidity === "function" && !form.reportValidity()) return;
    event.preventDefault();
    form.elements.logged_at.value = new Date().toISOString();
    var fields = [];
    new FormData(form).forEach(function (value, key) { fields.push([key, String(value)]); });
    var item = {
      clientId: form.elements.client_id.value,
      workout: workoutId,
      entry: form.getAttribute("data-entry"),
      url: form.getAttribute("action"),
      fields: fields,
      text: setText(form),
    };
    var items = loadQueue();
    items.push(item);
    if (!saveQueue(items)) {
      // No storage (private mode, quota): send the form the plain way instead.
      form.submit();
      return;
    }
    var list = listFor(item.entry);
    if (list && !rowFor(item.clientId)) list.appendChild(pendingRow(item));
    // A fresh id for the next set; keep the values (the next set usually repeats them).
    form.elements.client_id.value = uuid4();
    if (form.elements.note) form.elements.note.value = "";
    var errors = form.querySelector(".set-error");
    if (errors) { errors.hidden = true; errors.textContent = ""; }
    startRest(parseInt(form.getAttribute("data-rest") || "0", 10), form.getAttribute("data-exercise-name"));
    showStatus();
    flush();
  });

  // Sets waiting from before (the page was reloaded, or left while offline): show and send them.
  loadQueue().forEach(function (item) {
    if (item.workout !== workoutId || rowFor(item.clientId)) return;
    var list = listFor(item.entry);
    if (list) list.appendChild(pendingRow(item));
  });
  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { showStatus(); });
  showStatus();
  flush();
})();
