// Upload progress for forms with files (class "js-upload-progress"): the form is sent with
// XMLHttpRequest so its progress events can fill the <progress> bar. No HTML is built here.
// Without JavaScript the form is a plain multipart POST; if anything goes wrong, or the server
// answers with errors, the form is sent again the plain way and the server renders the page.
(function () {
  "use strict";

  function hasFiles(form) {
    var inputs = form.querySelectorAll('input[type="file"]');
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].files && inputs[i].files.length) {
        return true;
      }
    }
    return false;
  }

  function send(form) {
    var box = form.querySelector(".upload-progress");
    var bar = box && box.querySelector("progress");
    var text = box && box.querySelector(".upload-progress-text");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    box.hidden = false;
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) {
        var percent = Math.round((event.loaded / event.total) * 100);
        bar.value = percent;
        bar.textContent = percent + " %";
        text.textContent = percent + " %";
      }
    });
    xhr.addEventListener("load", function () {
      var next = xhr.getResponseHeader("X-Kabinet-Location");
      if (xhr.status === 204 && next && next.charAt(0) === "/") {
        window.location.assign(next);
      } else {
        form.dataset.plain = "1";
        HTMLFormElement.prototype.submit.call(form);
      }
    });
    xhr.addEventListener("error", function () {
      form.dataset.plain = "1";
      HTMLFormElement.prototype.submit.call(form);
    });
    xhr.send(new FormData(form));
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("js-upload-progress")) {
      return;
    }
    if (form.dataset.plain || !hasFiles(form) || !form.querySelector(".upload-progress")) {
      return;
    }
    event.preventDefault();
    send(form);
  });
})();
