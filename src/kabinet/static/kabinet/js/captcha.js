// «Обновить картинку» without reloading the page. Without JavaScript the button submits the form
// and the server answers with the same form and a new picture, so this is only a shortcut.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-captcha-refresh]");
    if (!button) {
      return;
    }
    event.preventDefault();
    var box = button.closest("form");
    var image = box.querySelector("[data-captcha-image]");
    var key = box.querySelector('input[type="hidden"][name$="captcha_0"]');
    var answer = box.querySelector('input[name$="captcha_1"]');
    fetch(button.getAttribute("data-captcha-refresh"), {
      headers: { "X-Requested-With": "XMLHttpRequest" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        image.setAttribute("src", data.image_url);
        key.value = data.key;
        answer.value = "";
        answer.focus();
      })
      .catch(function () {
        button.closest("form").requestSubmit(button); // fall back to the server round trip
      });
  });
})();
