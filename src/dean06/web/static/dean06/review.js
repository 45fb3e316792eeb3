// Plan import: follow the background reading, and re-parse a deadline as the reviewer types.
(function () {
  "use strict";

  var progress = document.getElementById("progress");
  if (progress && progress.dataset.status !== "failed") {
    var bar = document.getElementById("progress-bar");
    var message = document.getElementById("progress-message");
    var poll = function () {
      fetch(progress.dataset.statusUrl, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (bar) { bar.value = data.percent; }
          if (message && data.message) { message.textContent = data.message; }
          if (data.status === "ready" || data.status === "saved" || data.status === "failed") {
            window.location.reload();
          } else {
            window.setTimeout(poll, 1000);
          }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    };
    window.setTimeout(poll, 500);
  }

  var form = document.getElementById("review-form");
  if (!form) { return; }
  var url = form.dataset.deadlineUrl;
  var dateInput = document.getElementById("plan-date");
  var timers = new WeakMap();
  form.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("deadline")) { return; }
    window.clearTimeout(timers.get(input));
    timers.set(input, window.setTimeout(function () {
      var query = "?q=" + encodeURIComponent(input.value) +
        "&ngay=" + encodeURIComponent(dateInput ? dateInput.value : "");
      fetch(url + query, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          var out = input.parentNode.querySelector("output.deadline-parsed");
          if (out) { out.textContent = data.text; }
          input.classList.toggle("uncertain", !!data.uncertain);
        });
    }, 250));
  });
})();
