// Puts back what was typed into a form that was sent after the session had ended.
(function () {
  "use strict";
  var data = document.getElementById("kept-form");
  if (!data) { return; }
  var kept = { action: data.dataset.action, fields: JSON.parse(data.dataset.fields) };
  var target = function (form) {
    var sent = form.getAttribute("hx-post") || form.getAttribute("action") || "";
    return new URL(sent, window.location.href).pathname;
  };
  var form = Array.prototype.find.call(document.forms, function (f) {
    return target(f) === kept.action;
  });
  if (!form) { return; }
  Object.keys(kept.fields).forEach(function (name) {
    var values = kept.fields[name];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name !== name || field.type === "hidden" || field.type === "file") { return; }
      if (field.type === "radio" || field.type === "checkbox") {
        field.checked = values.indexOf(field.value) !== -1;
      } else if (field.tagName === "SELECT" && field.multiple) {
        Array.prototype.forEach.call(field.options, function (option) {
          option.selected = values.indexOf(option.value) !== -1;
        });
      } else {
        field.value = values[0];
      }
    });
  });
  var first = form.querySelector("textarea") || form.querySelector("input:not([type=hidden]), select");
  form.scrollIntoView({ block: "center" });
  if (first) { first.focus({ preventScroll: true }); }
})();
