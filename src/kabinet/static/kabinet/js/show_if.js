// «Show if» of a survey's questions: a control marked data-show-if="q<n>" and
// data-show-if-value="<option>" belongs to a question shown only when question n was answered
// with that option. Its box (the fieldset or the field's block) gets the hidden attribute until
// then — out of the tab order and of what screen readers read, not a display trick — and shows
// again as soon as the earlier answer holds. A hidden question counts as unanswered, so a chain of
// conditions hides together. Without JavaScript every question stays, with its help text saying
// when to answer it; the server ignores answers to questions whose condition does not hold.
// The back office's segment pickers use the same marks: a segment's parameter field shows only
// while that segment is chosen (data-show-if="segment"). No HTML is built here.
(function () {
  "use strict";

  function boxOf(control) {
    return control.closest("fieldset") || control.closest(".mb-3") || control.parentElement;
  }

  function valuesOf(form, name) {
    var values = [];
    var controls = form.querySelectorAll('[name="' + name + '"]');
    for (var i = 0; i < controls.length; i++) {
      var control = controls[i];
      var box = boxOf(control);
      if (box && box.hidden) {
        return []; // a hidden question has no answer
      }
      if (control.type === "radio" || control.type === "checkbox") {
        if (control.checked) {
          values.push(control.value);
        }
      } else if (control.value) {
        values.push(control.value);
      }
    }
    return values;
  }

  function update(form) {
    // document order is the questions' order, and a condition names an earlier question
    var controls = form.querySelectorAll("[data-show-if]");
    var done = [];
    for (var i = 0; i < controls.length; i++) {
      var box = boxOf(controls[i]);
      if (!box || done.indexOf(box) !== -1) {
        continue;
      }
      done.push(box);
      var wanted = controls[i].getAttribute("data-show-if-value");
      var shown = valuesOf(form, controls[i].getAttribute("data-show-if")).indexOf(wanted) !== -1;
      box.hidden = !shown;
    }
  }

  function start() {
    var forms = document.querySelectorAll("form");
    for (var i = 0; i < forms.length; i++) {
      if (forms[i].querySelector("[data-show-if]")) {
        update(forms[i]);
      }
    }
  }

  document.addEventListener("change", function (event) {
    var form = event.target && event.target.form;
    if (form && form.querySelector("[data-show-if]")) {
      update(form);
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
