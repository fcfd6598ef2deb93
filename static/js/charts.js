// Draws the charts the worker rendered: each figure is stored as JSON in the page (no inline script), drawn with
// the plotly.js of the installed plotly package. Also the PNG buttons and the goal-2 breakdown switch.
(function () {
  "use strict";
  var locale = document.documentElement.lang === "en" ? "en" : "da";
  // No "Share chart…": it would offer to send the figures to Plotly's cloud, which Jobmål never does.
  var config = { locale: locale, displaylogo: false, responsive: true,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "sendChartToCloud"] };

  function figure(id) { return JSON.parse(document.getElementById(id).textContent); }

  document.querySelectorAll(".jm-plot").forEach(function (element) {
    var fig = figure(element.dataset.figure);
    window.Plotly.newPlot(element, fig.data, fig.layout, config);
  });

  document.querySelectorAll(".jm-png").forEach(function (button) {
    button.addEventListener("click", function () {
      var plot = document.querySelector('.jm-plot[data-figure="' + button.dataset.figure + '"]');
      window.Plotly.downloadImage(plot, { format: "png", width: 1000, height: 500, filename: button.dataset.filename });
    });
  });

  var switcher = document.getElementById("breakdown-switch");
  if (switcher) {
    var show = function (key) {
      document.querySelectorAll("[data-breakdown]").forEach(function (section) {
        section.hidden = section.dataset.breakdown !== key;
        if (!section.hidden) { window.Plotly.Plots.resize(section.querySelector(".jm-plot")); }
      });
    };
    switcher.addEventListener("change", function (event) { show(event.target.value); });
    var checked = switcher.querySelector("input:checked");
    if (checked) { show(checked.value); }
  }
})();
