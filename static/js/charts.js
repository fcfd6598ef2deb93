// Draws the charts the worker rendered: each figure is stored as JSON in the page (no inline script), drawn with
// the plotly.js of the installed plotly package. Also the PNG buttons and the goal-2 breakdown switch.
(function () {
  "use strict";
  var locale = document.documentElement.lang === "en" ? "en" : "da";
  // No "Share chart…": it would offer to send the figures to Plotly's cloud, which Jobmål never does.
  var config = { locale: locale, displaylogo: false, responsive: true,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "sendChartToCloud"],
    // On a phone a tap is a hover, and the mode bar then covers the chart's top; the page has its own download
    // buttons, and pinch-zoom is the phone's own. Elsewhere it shows while the pointer is over the chart.
    displayModeBar: window.matchMedia("(max-width: 600px)").matches ? false : "hover" };

  function figure(id) { return JSON.parse(document.getElementById(id).textContent); }

  var phone = window.matchMedia("(max-width: 600px)").matches;

  // On a phone a label on every point of a long line overlaps its neighbours: the points keep their hover, and
  // the data table beside the chart holds every figure.
  function forScreen(trace) {
    if (!phone || !trace.mode || trace.mode.indexOf("text") < 0 || (trace.x || []).length <= 6) { return trace; }
    return Object.assign({}, trace, { mode: trace.mode.replace("+text", "") });
  }

  document.querySelectorAll(".jm-plot").forEach(function (element) {
    var fig = figure(element.dataset.figure);
    var layout = fig.layout;
    var data = fig.data.map(forScreen);
    // Where the chart's section has a heading of its own just above, the title drawn again inside the plot only
    // takes room and is cut off on a phone. The downloaded picture draws it (see standalone).
    if ("headed" in element.dataset) {
      layout = Object.assign({}, layout, { title: { text: "" } });
      layout.margin = Object.assign({}, layout.margin, { t: 24 });
    }
    // A long axis title (the rank history's) is longer than a phone's plot is high: set smaller there.
    if (phone && layout.yaxis && layout.yaxis.title && (layout.yaxis.title.text || "").length > 24) {
      var title = Object.assign({}, layout.yaxis.title, { font: { size: 11 } });
      layout = Object.assign({}, layout, { yaxis: Object.assign({}, layout.yaxis, { title: title }) });
    }
    window.Plotly.newPlot(element, data, layout, config);
  });

  // A downloaded chart stands alone: its title, the area, the unit (on the axis), the source with the retrieval
  // date and, for demo data, the demo label are drawn into the picture itself.
  function standalone(button) {
    var fig = figure(button.dataset.figure);
    var layout = JSON.parse(JSON.stringify(fig.layout));
    // No <sub> or other pseudo-HTML: plotly draws it with style attributes, which the CSP refuses.
    layout.title = { text: button.dataset.title + "<br>" + button.dataset.area, font: { size: 17 } };
    layout.margin = Object.assign({}, layout.margin, { t: 80, b: 130 });
    layout.legend = Object.assign({}, layout.legend, { y: -0.18 });
    layout.annotations = (layout.annotations || []).concat([{
      text: button.dataset.source, xref: "paper", yref: "paper", x: 0, y: -0.3, xanchor: "left", yanchor: "top",
      showarrow: false, font: { size: 12, color: "#3f3f3f" }
    }]);
    layout.width = 1000;
    layout.height = 560;
    return { data: fig.data, layout: layout };
  }

  // Drawn into an off-screen element of our own (plotly's toImage of a bare figure would set inline styles, which
  // the CSP refuses), downloaded from there, then removed.
  document.querySelectorAll(".jm-png").forEach(function (button) {
    button.addEventListener("click", function () {
      var fig = standalone(button);
      button.drawnFigure = fig;  // what the picture was drawn from, for the browser tests
      var holder = document.createElement("div");
      holder.className = "jm-offscreen";
      document.body.appendChild(holder);
      window.Plotly.newPlot(holder, fig.data, fig.layout, { staticPlot: true, locale: locale })
        .then(function (gd) {
          return window.Plotly.downloadImage(gd, { format: "png", width: 1000, height: 560,
            filename: button.dataset.filename });
        })
        .finally(function () { window.Plotly.purge(holder); holder.remove(); });
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
