// Danish for Plotly: month names, decimal comma and thousands dot in axes and hover labels.
(function () {
  "use strict";
  if (!window.Plotly) { return; }
  window.Plotly.register({
    moduleType: "locale",
    name: "da",
    dictionary: {
      "Download plot as a png": "Hent graf som PNG",
      "Download plot as a PNG": "Hent graf som PNG",
      "Download plot": "Hent graf",
      "Zoom": "Zoom",
      "Zoom in": "Zoom ind",
      "Zoom out": "Zoom ud",
      "Pan": "Panorér",
      "Reset axes": "Nulstil akser",
      "Reset view": "Nulstil visning",
      "Autoscale": "Tilpas akser",
      "Toggle Spike Lines": "Vis/skjul hjælpelinjer",
      "Show closest data on hover": "Vis nærmeste punkt ved mus over",
      "Compare data on hover": "Sammenlign punkter ved mus over"
    },
    format: {
      days: ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
      shortDays: ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
      months: ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
        "november", "december"],
      shortMonths: ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
      date: "%d.%m.%Y",
      decimal: ",",
      thousands: "."
    }
  });
})();
