// The therapist's pages: plan editor rows, the warning-sign counter and "helps with" labels,
// a draft kept while the form is open, a guard against leaving with unsaved changes,
// invite countdowns and the handout's print button. Every page works without it.
(function () {
  "use strict";

  function renumber(row, index) {
    row.querySelectorAll("[name]").forEach(function (field) {
      field.name = field.name.replace(/^([a-z]+)-\d+-/, "$1-" + index + "-");
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = false;
      } else {
        field.value = "";
      }
    });
  }

  function addRow(section) {
    var rows = section.querySelectorAll("[data-row]");
    var count = section.querySelector("[data-count]");
    if (!rows.length || !count) { return null; }
    var copy = rows[rows.length - 1].cloneNode(true);
    renumber(copy, rows.length);
    rows[rows.length - 1].after(copy);
    count.value = String(rows.length + 1);
    return copy;
  }

  function refreshSigns(form) {
    var filled = 0;
    form.querySelectorAll("[data-sign]").forEach(function (input) {
      var text = input.value.trim();
      if (text) { filled += 1; }
      form.querySelectorAll('[data-sign-slot="' + input.dataset.sign + '"]').forEach(function (label) {
        label.hidden = !text;
        label.querySelector("span").textContent = text;
      });
    });
    form.querySelectorAll("[data-sign-count]").forEach(function (counter) {
      counter.textContent = filled + " of 12";
      counter.classList.toggle("warn", filled === 0);
    });
  }

  function snapshot(form) {
    var values = {};
    new FormData(form).forEach(function (value, key) {
      if (typeof value !== "string" || key === "csrf_token" || key === "step") { return; }
      (values[key] = values[key] || []).push(value);
    });
    return values;
  }

  function restore(form, values) {
    form.querySelectorAll("[data-rows]").forEach(function (section) {
      var count = section.querySelector("[data-count]");
      var wanted = count && values[count.name] ? parseInt(values[count.name][0], 10) : 0;
      while (count && parseInt(count.value, 10) < Math.min(wanted, 20)) {
        if (!addRow(section)) { break; }
      }
    });
    form.querySelectorAll("[name]").forEach(function (field) {
      var saved = values[field.name];
      if (!saved || field.type === "file" || field.type === "hidden") { return; }
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = saved.indexOf(field.value) !== -1;
      } else {
        field.value = saved[0];
      }
    });
  }

  function setUpForm(form) {
    var key = "aftercare-draft-" + form.dataset.draft;
    var dirty = false;
    var leaving = false;
    if (form.hasAttribute("data-restore")) {
      var saved = sessionStorage.getItem(key);
      if (saved) { restore(form, JSON.parse(saved)); }
    }
    form.querySelectorAll("[data-add-row]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        addRow(button.closest("[data-rows]"));
        refreshSigns(form);
      });
    });
    refreshSigns(form);
    form.addEventListener("input", function (event) {
      dirty = true;
      if (event.target.matches("[data-sign]")) { refreshSigns(form); }
      sessionStorage.setItem(key, JSON.stringify(snapshot(form)));
    });
    form.addEventListener("submit", function (event) {
      var by = event.submitter;
      if (by && by.hasAttribute("data-no-guard")) { return; }
      leaving = true;
      if (by && by.hasAttribute("data-clears-draft")) { sessionStorage.removeItem(key); }
    });
    if (form.hasAttribute("data-guard")) {
      window.addEventListener("beforeunload", function (event) {
        if (dirty && !leaving) {
          event.preventDefault();
          event.returnValue = "";
        }
      });
    }
  }

  function span(ms) {
    var minutes = Math.max(0, Math.floor(ms / 60000));
    if (minutes < 60) { return minutes + " min"; }
    var hours = Math.floor(minutes / 60);
    if (hours < 24) { return hours + " h"; }
    var days = Math.floor(hours / 24);
    return days + (days === 1 ? " day" : " days") + (days < 3 && hours % 24 ? " " + (hours % 24) + " h" : "");
  }

  function tick() {
    document.querySelectorAll("[data-expires]").forEach(function (node) {
      var left = new Date(node.dataset.expires).getTime() - Date.now();
      node.textContent = left > 0 ? "in " + span(left) : "expired";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-draft]").forEach(setUpForm);
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    if (document.querySelector("[data-expires]")) { setInterval(tick, 30000); }
  });
}());
