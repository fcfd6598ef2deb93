// Det Fælles Designsystem's components (accordions, menus…) need their script initialised once per page.
if (window.DKFDS) {
  window.DKFDS.init();
}

// While the worker renders a page's charts again ("opdateres…") or imports an uploaded file, ask for the page every
// few seconds and reload once it no longer says so. Gives up after two minutes: the message stays, and a reload later shows the charts.
(function () {
  "use strict";
  var pending = "[data-charts-pending], [data-import-pending]";
  if (!document.querySelector(pending) || !window.fetch) { return; }
  var tries = 0;
  var timer = window.setInterval(function () {
    tries += 1;
    if (tries > 40) { window.clearInterval(timer); return; }
    window.fetch(window.location.href, { credentials: "same-origin", headers: { "X-Requested-With": "poll" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html !== null && html.indexOf("data-charts-pending") === -1 && html.indexOf("data-import-pending") === -1) {
          window.clearInterval(timer);
          window.location.reload();
        }
      })
      .catch(function () { /* offline for a moment: try again at the next tick */ });
  }, 3000);
})();

// "Vis alle" under a long ranked table on a phone: show the rows kept back (dashboard/windows.py) in place, without
// loading the page again; without script the link asks for the page with every row.
document.querySelectorAll("[data-show-all]").forEach(function (link) {
  "use strict";
  link.addEventListener("click", function (event) {
    var table = document.getElementById(link.dataset.showAll);
    if (!table) { return; }
    event.preventDefault();
    table.classList.add("jm-all");
    link.parentNode.classList.add("jm-done");
    var first = table.querySelector("tr.jm-far th a, tr.jm-far th");
    if (first) { first.setAttribute("tabindex", "-1"); first.focus(); }
  });
});
