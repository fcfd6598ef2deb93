// Follows running imports: polls each run's status while it is queued or running and updates the row in place.
(function () {
  "use strict";
  var active = ["queued", "running"];

  function refresh(element) {
    fetch(element.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (run) {
        var label = element.querySelector(".jm-run-label");
        label.textContent = run.status_display + (run.status === "running" ? " – " + run.phase : "");
        var bar = element.querySelector("progress");
        if (bar) { bar.value = run.progress; bar.textContent = run.progress + " %"; }
        if (active.indexOf(run.status) >= 0) {
          window.setTimeout(function () { refresh(element); }, 2000);
        } else if (element.dataset.status !== run.status) {
          window.location.reload();  // counts and errors are shown in full once a run has ended
        }
      });
  }

  document.querySelectorAll(".jm-run-status").forEach(function (element) {
    if (active.indexOf(element.dataset.status) >= 0) { refresh(element); }
  });
})();
