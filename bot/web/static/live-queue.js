// The queues' live refresh: rows follow the server, except a row the person is working in (focus,
// typed input, a conflict shown), which stays exactly as it is, so no choice or note is lost and
// focus never moves. The tab title follows too; a new urgent alert notifies (once allowed) and
// beeps (unless switched off). Without this script the page is the same, refreshed by hand.
(function () {
  "use strict";
  var live = document.querySelector("[data-live]");
  if (!live) { return; }
  var seconds = Math.max(1, parseInt(live.dataset.pollSeconds, 10) || 10);
  var SOUND_KEY = "aftercare.urgent-sound";
  var SEEN_KEY = "aftercare.urgent-seen";
  var stopped = false;

  function markEdited(event) {
    var row = event.target.closest && event.target.closest("[data-key]");
    if (row) { row.setAttribute("data-edited", ""); }
  }
  live.addEventListener("input", markEdited);
  live.addEventListener("change", markEdited);

  function busy(row) {
    return row.contains(document.activeElement) || row.hasAttribute("data-edited") ||
      row.querySelector(".conflict") !== null;
  }

  function flagChanged(row) {
    if (row.querySelector("[data-changed-note]")) { return; }
    var note = document.createElement("p");
    note.className = "changed-note";
    note.setAttribute("data-changed-note", "");
    note.setAttribute("role", "status");
    note.textContent = live.dataset.changedText;
    var cell = row.lastElementChild || row;
    cell.insertBefore(note, cell.firstChild);
  }

  function replaceAll(fresh) {
    while (live.firstChild) { live.removeChild(live.firstChild); }
    Array.prototype.forEach.call(fresh.childNodes, function (node) {
      live.appendChild(document.importNode(node, true));
    });
  }

  function mergeRows(oldRows, newRows, kept) {
    var keptByKey = {};
    kept.forEach(function (row) { keptByKey[row.dataset.key] = row; });
    Array.prototype.slice.call(oldRows.children).forEach(function (row) {
      if (kept.indexOf(row) === -1) { oldRows.removeChild(row); }
    });
    // Kept rows are never moved: moving the focused element would take focus away.
    var anchor = oldRows.firstElementChild;
    Array.prototype.forEach.call(newRows.children, function (row) {
      var mine = keptByKey[row.dataset.key];
      if (mine) {
        if (mine.dataset.version && row.dataset.version !== mine.dataset.version) { flagChanged(mine); }
        delete keptByKey[row.dataset.key];
        anchor = mine.nextElementSibling;
        return;
      }
      oldRows.insertBefore(document.importNode(row, true), anchor);
    });
    Object.keys(keptByKey).forEach(function (key) { flagChanged(keptByKey[key]); });
  }

  function merge(doc) {
    var title = doc.querySelector("title");
    if (title) { document.title = title.textContent; }
    var fresh = doc.querySelector("[data-live]");
    if (!fresh) { return; }
    var kept = Array.prototype.filter.call(live.querySelectorAll("[data-key]"), busy);
    var oldRows = live.querySelector('[data-live-part="rows"]');
    var newRows = fresh.querySelector('[data-live-part="rows"]');
    if (!kept.length) {
      replaceAll(fresh);
    } else if (oldRows && newRows) {
      var oldCount = live.querySelector('[data-live-part="count"]');
      var newCount = fresh.querySelector('[data-live-part="count"]');
      if (oldCount && newCount) { oldCount.replaceWith(document.importNode(newCount, true)); }
      mergeRows(oldRows, newRows, kept);
    }
    announce(fresh);
  }

  // New urgent alerts: a notification (if allowed) and a beep (unless switched off).
  var seen = {};
  try { seen = JSON.parse(sessionStorage.getItem(SEEN_KEY) || "{}") || {}; } catch (e) { seen = {}; }
  function remember(root) {
    var fresh = [];
    Array.prototype.forEach.call(root.querySelectorAll("[data-notify]"), function (row) {
      if (!seen[row.dataset.key]) { seen[row.dataset.key] = 1; fresh.push(row.dataset.notify); }
    });
    try { sessionStorage.setItem(SEEN_KEY, JSON.stringify(seen)); } catch (e) { /* private mode */ }
    return fresh;
  }
  remember(live);

  var audio = null;
  function soundOn() { return localStorage.getItem(SOUND_KEY) !== "off"; }
  function wakeAudio() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!audio && Context) { audio = new Context(); }
    if (audio && audio.state === "suspended") { audio.resume(); }
  }
  function beep() {
    if (!soundOn() || !audio) { return; }
    var tone = audio.createOscillator();
    var gain = audio.createGain();
    var t = audio.currentTime;
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.3, t + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.5);
    tone.connect(gain);
    gain.connect(audio.destination);
    tone.start(t);
    tone.stop(t + 0.55);
    document.documentElement.dataset.beeps = String((parseInt(document.documentElement.dataset.beeps, 10) || 0) + 1);
  }
  function announce(root) {
    var fresh = remember(root);
    if (!fresh.length) { return; }
    beep();
    if ("Notification" in window && Notification.permission === "granted") {
      fresh.forEach(function (text) { new Notification(text, { tag: text }); });
    }
  }
  // Browsers let sound start only after the person has interacted with the page.
  document.addEventListener("pointerdown", wakeAudio);
  document.addEventListener("keydown", wakeAudio);

  var controls = document.querySelector("[data-alerting]");
  if (controls) {
    controls.hidden = false;
    var allow = controls.querySelector("[data-allow-notifications]");
    var on = controls.querySelector("[data-notifications-on]");
    var sound = controls.querySelector("[data-sound]");
    var showPermission = function () {
      var have = "Notification" in window;
      var state = have ? Notification.permission : "denied";
      allow.hidden = !have || state !== "default";
      on.hidden = state !== "granted";
    };
    showPermission();
    allow.addEventListener("click", function () {
      wakeAudio();
      Promise.resolve(Notification.requestPermission()).then(showPermission);
    });
    sound.checked = soundOn();
    sound.addEventListener("change", function () {
      localStorage.setItem(SOUND_KEY, sound.checked ? "on" : "off");
      if (sound.checked) { wakeAudio(); }
    });
  }

  function refresh() {
    if (stopped) { return; }
    fetch(live.dataset.live, {
      credentials: "same-origin",
      headers: { "HX-Request": "true", "HX-Trigger": live.id, "HX-Current-URL": location.href }
    }).then(function (response) {
      if (response.status === 401) {
        // Signed out: stop here and keep the page as it is; a save will ask to sign in and keep it.
        stopped = true;
        var ended = document.createElement("p");
        ended.className = "notice";
        ended.setAttribute("role", "status");
        ended.textContent = live.dataset.endedText;
        live.insertBefore(ended, live.firstChild);
        return null;
      }
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (html) { merge(new DOMParser().parseFromString(html, "text/html")); }
    }).catch(function () { /* offline a moment: try again next time */ })
      .then(function () { if (!stopped) { setTimeout(refresh, seconds * 1000); } });
  }
  setTimeout(refresh, seconds * 1000);
})();
