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
                   xaxis: { type: "date", range: periodRange(chart) },
                   yaxis: { title: { text: "pieces" }, rangemode: "tozero" },
                   legend: { orientation: "h", y: -0.15 }, hovermode: "closest" };
    Plotly.newPlot(el, traces, layout, CONFIG).then(function () {
      el.setAttribute("data-rendered", "true");
    });
    el.on("plotly_click", function (ev) {
      var cd = ev.points[0].customdata;
      drill(data, cd[1], cd[0]);
    });
  }

  // The x axis spans the view's periods, so that an empty series never falls back to
  // plotly's default axis (the year 2000).
  function periodRange(chart) {
    var p = chart.periods;
    return p.length ? [p[0], p[p.length - 1]] : undefined;
  }

  // One small panel per partner (flagged partners first): eleven overlaid dotted lines
  // cannot be told apart, eleven labelled panels can.
  function drawTone(data) {
    var chart = data.tone, el = document.getElementById("tone-chart");
    if (!chart || !el || !chart.lines.length) return;
    var n = chart.lines.length, cols = n > 1 ? 2 : 1, rows = Math.ceil(n / cols);
    var flagged = {};
    chart.markers.forEach(function (m) { flagged[m.key] = m.direction; });
    var traces = [], range = periodRange(chart);
    var layout = { grid: { rows: rows, columns: cols, pattern: "independent",
                           roworder: "top to bottom", xgap: 0.08, ygap: 0.45 },
                   margin: { t: 40, r: 10, b: 30, l: 40 }, hovermode: "closest",
                   legend: { orientation: "h", x: 1, xanchor: "right", y: 1,
                             yanchor: "top", yref: "container" },
                   annotations: [] };
    chart.lines.forEach(function (ln, i) {
      var ax = i === 0 ? "" : String(i + 1);
      var custom = chart.periods.map(function (p) { return [ln.key, p]; });
      traces.push({ type: "scatter", mode: "lines", name: "alarm", legendgroup: "alarm",
                    showlegend: i === 0, x: chart.periods, y: ln.alarm, xaxis: "x" + ax,
                    yaxis: "y" + ax, fill: "tozeroy", connectgaps: false, customdata: custom,
                    line: { color: "rgba(192,57,43,0.8)", width: 1 },
                    fillcolor: "rgba(192,57,43,0.25)",
                    hovertemplate: "%{x}: alarm %{y:.2f}<extra>" + esc(ln.label) + "</extra>" });
      traces.push({ type: "scatter", mode: "lines+markers", name: "tone", legendgroup: "tone",
                    showlegend: i === 0, x: chart.periods, y: ln.polarity, xaxis: "x" + ax,
                    yaxis: "y" + ax, connectgaps: false, customdata: custom,
                    line: { color: "#2c6fbb", width: 2 }, marker: { size: 4 },
                    hovertemplate: "%{x}: tone %{y:+.2f}<extra>" + esc(ln.label) + "</extra>" });
      layout["xaxis" + ax] = { type: "date", range: range, tickfont: { size: 10 },
                               fixedrange: true };
      layout["yaxis" + ax] = { range: [-1, 1], tickvals: [-1, 0, 1], fixedrange: true,
                               zeroline: true, tickfont: { size: 10 } };
      var mark = flagged[ln.key] ? (flagged[ln.key] === "down" ? " ▼" : " ▲") : "";
      layout.annotations.push({ text: "<b>" + esc(ln.label) + "</b>" + mark,
                                xref: "x" + ax + " domain", yref: "y" + ax + " domain",
                                x: 0, y: 1.02, xanchor: "left", yanchor: "bottom",
                                showarrow: false, font: { size: 12,
                                  color: mark ? "#c0392b" : "#222" } });
    });
    Plotly.newPlot(el, traces, layout, CONFIG).then(function () {
      el.setAttribute("data-rendered", "true");
    });
    el.on("plotly_click", function (ev) {
      var cd = ev.points[0].customdata;
      var q = new URLSearchParams(data.query);
      q.set("by", "partner");
      data = Object.assign({}, data, { query: q.toString(), by: "partner" });
      drill(data, cd[1], cd[0]);
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
