// Follows a report being built: polls its status, shows the progress and, when ready, the download.
(function () {
  "use strict";
  var element = document.querySelector(".jm-report-status");
  if (!element || ["queued", "running"].indexOf(element.dataset.status) < 0) { return; }

  function refresh() {
    fetch(element.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (report) {
        element.querySelector(".jm-report-label").textContent = report.status_label;
        var bar = element.querySelector("progress");
        if (bar) { bar.value = report.progress; bar.textContent = report.progress + " %"; }
        if (report.download) {
          var done = element.querySelector(".jm-report-done");
          done.querySelector("a").href = report.download;
          done.hidden = false;
          element.querySelector(".jm-report-wait").hidden = true;
          if (bar) { bar.hidden = true; }
        } else if (report.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(refresh, 1500);
        }
      })
      .catch(function () { window.setTimeout(refresh, 5000); });
  }
  refresh();
})();
