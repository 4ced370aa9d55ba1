// Draws every chart of the page from the figure the server embedded next to it (plotly.js,
// served by the dashboard itself). No data is fetched from anywhere else.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("script.figure").forEach(function (source) {
    var target = document.querySelector('.plot[data-chart="' + source.dataset.for + '"]');
    if (!target) { return; }
    var figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(target, figure.data, figure.layout, {
      displaylogo: false,
      responsive: true,
      modeBarButtonsToRemove: ["select2d", "lasso2d", "sendDataToCloud"]
    }).then(function () { target.dataset.drawn = "1"; });
  });
});
