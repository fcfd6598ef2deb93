// Danish for Plotly: month names, decimal comma and thousands dot in axes and hover labels.
(function () {
  "use strict";
  if (!window.Plotly) { return; }
  window.Plotly.register({
    moduleType: "locale",
    name: "da",
    dictionary: {
      "Download plot as a png": "Hent graf som PNG",
      "Zoom": "Zoom",
      "Pan": "Panorér",
      "Reset axes": "Nulstil akser",
      "Autoscale": "Tilpas akser"
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
