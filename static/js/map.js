// Draws the comparison's map (dashboard/maps.py) from the figure stored in the page, and opens a municipality's page
// on a click where the reader may see it (the link is empty otherwise). No inline script, nothing fetched: plotly's
// geo wants a world base map (topojson from a CDN) for any located trace, even with the base map switched off, so
// it is handed an empty one here instead.
(function () {
  "use strict";
  var locale = document.documentElement.lang === "en" ? "en" : "da";
  var config = { locale: locale, displaylogo: false, responsive: true, scrollZoom: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "sendChartToCloud"],
    // On a phone a tap is a hover, and the mode bar then covers the chart's top; the page has its own download
    // buttons, and pinch-zoom is the phone's own. Elsewhere it shows while the pointer is over the chart.
    displayModeBar: window.matchMedia("(max-width: 600px)").matches ? false : "hover" };
  var assets = window.PlotlyGeoAssets = window.PlotlyGeoAssets || { topojson: {} };

  // Drawn when it comes near the screen: 98 outlines take a phone a second or more, and the map sits below a
  // long table that many readers never scroll past. Browsers without IntersectionObserver draw it at once.
  function whenNear(element, draw) {
    if (!("IntersectionObserver" in window)) { draw(element); return; }
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) { observer.disconnect(); draw(element); }
    }, { rootMargin: "400px 0px" });
    observer.observe(element);
  }

  document.querySelectorAll(".jm-map[data-figure]").forEach(function (element) { whenNear(element, draw); });

  function draw(element) {
    var fig = JSON.parse(document.getElementById(element.dataset.figure).textContent);
    var geo = fig.layout.geo || {};
    var name = (geo.scope || "world").replace(/ /g, "-") + "_" + (geo.resolution || 110) + "m";
    assets.topojson[name] = assets.topojson[name] || { type: "Topology", objects: {}, arcs: [] };
    // On a phone the map is as tall as Denmark drawn across its width (about 0.85 of it), not white space below.
    fig.layout.height = Math.round(Math.min(fig.layout.height, Math.max(320, element.clientWidth * 0.88)));
    window.Plotly.newPlot(element, fig.data, fig.layout, config).then(function () {
      element.on("plotly_hover", function (event) {
        var point = event.points && event.points[0];
        element.classList.toggle("jm-map-link", Boolean(point && point.customdata && point.customdata[2]));
      });
      element.on("plotly_unhover", function () { element.classList.remove("jm-map-link"); });
      element.on("plotly_click", function (event) {
        var point = event.points && event.points[0];
        var link = point && point.customdata && point.customdata[2];
        if (link) { window.location.assign(link); }
      });
    });
  }
})();
