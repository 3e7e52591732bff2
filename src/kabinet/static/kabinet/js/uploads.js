// Forms with files (class "js-upload-progress") are sent once, by htmx (their hx-post, multipart),
// and this fills their <progress> bar from htmx's progress events. The server answers:
// - done: HX-Redirect, and htmx loads the next page (with its message);
// - refused (400; 429 when the reception is throttled): the page with the errors and what was
//   typed, whose <main> htmx swaps in (hx-select) instead of the files being sent a second time;
//   kabinet.js then moves the focus to the error summary, as after a page load;
// - anything else (no connection, 403, 413, 500): the form stays as it was and says it was not sent.
// Without JavaScript the form is a plain multipart POST. No HTML is built here.
(function () {
  "use strict";

  var SWAPPED = { 400: true, 429: true };

  function uploadForm(element) {
    return element && element.classList && element.classList.contains("js-upload-progress")
      ? element
      : null;
  }

  function hasFiles(form) {
    var inputs = form.querySelectorAll('input[type="file"]');
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].files && inputs[i].files.length) {
        return true;
      }
    }
    return false;
  }

  function show(box, percent) {
    var bar = box.querySelector("progress");
    bar.value = percent;
    bar.textContent = percent + " %";
    box.querySelector(".upload-progress-text").textContent = percent + " %";
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = uploadForm(event.detail.elt);
    if (!form) {
      return;
    }
    var failed = form.querySelector(".upload-failed");
    if (failed) {
      failed.hidden = true;
    }
    var box = form.querySelector(".upload-progress");
    if (box && hasFiles(form)) {
      show(box, 0);
      box.hidden = false;
    }
  });

  // htmx reports the upload's progress and then the answer's download: the bar only moves on.
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = uploadForm(event.detail.elt);
    var box = form && form.querySelector(".upload-progress");
    var detail = event.detail;
    if (!box || box.hidden || !detail.lengthComputable || !detail.total) {
      return;
    }
    var percent = Math.round((detail.loaded / detail.total) * 100);
    if (percent > box.querySelector("progress").value) {
      show(box, percent);
    }
  });

  // htmx swaps no error answer by itself: a refusal is the form again, to be shown.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var config = event.detail.requestConfig;
    if (config && uploadForm(config.elt) && SWAPPED[event.detail.xhr.status]) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function notSent(event) {
    var form = uploadForm(event.detail.elt);
    if (!form) {
      return;
    }
    var box = form.querySelector(".upload-progress");
    if (box) {
      box.hidden = true;
    }
    var failed = form.querySelector(".upload-failed");
    if (failed) {
      failed.hidden = false;
      failed.focus();
    }
  }

  document.addEventListener("htmx:responseError", notSent);
  document.addEventListener("htmx:sendError", notSent);
})();
