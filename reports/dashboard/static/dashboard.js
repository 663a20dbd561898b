// Draws the charts from the JSON the server embedded in the page, and turns a click on a
// point into a drill-down URL (the state of the view lives in the URL only).
(function () {
  "use strict";

  // Plotly reads a few HTML-like tags in names and hover text; series labels are shown
  // as plain text, whatever they contain.
  function esc(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function drill(data, period, key) {
    var q = new URLSearchParams(data.query);
    q.set("at", period);
    if (data.by !== "all" && key !== null && key !== undefined) q.set("series", key);
    q.delete("page");
    window.location.assign("?" + q.toString() + "#articles");
  }

  var CONFIG = { displaylogo: false, responsive: true,
                 modeBarButtonsToRemove: ["select2d", "lasso2d"] };

  function markerTrace(chart, yaxis) {
    return {
      type: "scatter", mode: "markers", name: "flagged shift (digest)", yaxis: yaxis,
      x: chart.markers.map(function (m) { return m.x; }),
      y: chart.markers.map(function (m) { return m.y; }),
      text: chart.markers.map(function (m) { return esc(m.text); }),
      customdata: chart.markers.map(function (m) { return [m.key, m.x]; }),
      hovertemplate: "%{text}<extra></extra>",
      marker: { size: 15, color: "#c0392b", line: { width: 1, color: "#fff" },
                symbol: chart.markers.map(function (m) {
                  return m.direction === "down" ? "triangle-down" : "triangle-up"; }) }
    };
  }

  function drawTrend(data) {
    var chart = data.trend, el = document.getElementById("trend-chart");
    if (!chart || !el) return;
    var bars = data.grain === "day";
    var traces = chart.lines.map(function (ln) {
      return {
        type: bars ? "bar" : "scatter", mode: "lines+markers", name: esc(ln.label),
        x: chart.periods, y: ln.pieces,
        customdata: chart.periods.map(function (p) { return [ln.key, p]; }),
        hovertemplate: "%{x}: %{y} pieces<extra>" + esc(ln.label) + "</extra>"
      };
    });
    if (chart.markers.length) traces.push(markerTrace(chart, "y"));
    var layout = { margin: { t: 10, r: 10, b: 40, l: 50 }, barmode: "stack",
                   xaxis: { type: "date" }, yaxis: { title: { text: "pieces" }, rangemode: "tozero" },
                   legend: { orientation: "h", y: -0.15 }, hovermode: "closest" };
    Plotly.newPlot(el, traces, layout, CONFIG).then(function () {
      el.setAttribute("data-rendered", "true");
    });
    el.on("plotly_click", function (ev) {
      var cd = ev.points[0].customdata;
      drill(data, cd[1], cd[0]);
    });
  }

  function drawTone(data) {
    var chart = data.tone, el = document.getElementById("tone-chart");
    if (!chart || !el) return;
    var traces = [];
    chart.lines.forEach(function (ln, i) {
      var color = "hsl(" + ((i * 67) % 360) + ",60%,42%)";
      traces.push({ type: "scatter", mode: "lines+markers", name: esc(ln.label),
                    legendgroup: ln.key, x: chart.periods, y: ln.polarity, yaxis: "y",
                    line: { color: color }, connectgaps: false,
                    hovertemplate: "%{x}: tone %{y:+.2f}<extra>" + esc(ln.label) + "</extra>" });
      traces.push({ type: "scatter", mode: "lines", name: esc(ln.label) + " alarm",
                    legendgroup: ln.key, showlegend: false, x: chart.periods, y: ln.alarm,
                    yaxis: "y2", line: { color: color, dash: "dot" },
                    hovertemplate: "%{x}: alarm %{y:.2f}<extra>" + esc(ln.label) + "</extra>" });
    });
    if (chart.markers.length) traces.push(markerTrace(chart, "y"));
    var layout = { margin: { t: 10, r: 10, b: 40, l: 50 }, xaxis: { type: "date" },
                   yaxis: { title: { text: "tone" }, domain: [0.42, 1], range: [-1, 1] },
                   yaxis2: { title: { text: "alarm" }, domain: [0, 0.32], rangemode: "tozero" },
                   legend: { orientation: "h", y: -0.12 }, hovermode: "closest" };
    Plotly.newPlot(el, traces, layout, CONFIG).then(function () {
      el.setAttribute("data-rendered", "true");
    });
  }

  // Empty filters stay out of the URL so that a shared link shows only what was chosen.
  function tidyForm() {
    var form = document.getElementById("filters");
    if (!form) return;
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (input) {
        if (input.name && input.value === "") input.disabled = true;
      });
    });
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (sel) {
      sel.addEventListener("change", function () { form.requestSubmit(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var data = JSON.parse(document.getElementById("chart-data").textContent);
    tidyForm();
    drawTrend(data);
    drawTone(data);
  });
})();
