/* The leaders' dashboard: charts drawn with Chart.js (served by the application, no network)
   from the data the page carries in <script type="application/json"> blocks. The same numbers
   are in the page's tables; without JavaScript nothing is lost but the pictures. Charts are
   drawn again after HTMX swaps the dashboard's body (a filter changed). Canvases carry no id:
   HTMX would copy a swapped element's old attributes, Chart.js's inline size among them, which
   the Content-Security-Policy refuses. */
(function () {
  "use strict";

  var STATUS_COLOURS = {
    overdue: "#b3261e",
    at_risk: "#a15c00",
    due_soon: "#e0a100",
    in_progress: "#1f4fa3",
    recurring: "#6a93d8",
    not_started: "#8a93a6",
    on_request: "#c3c8d2",
    done: "#1b7f3b"
  };
  var charts = [];

  function readJson(id) {
    var node = document.getElementById(id);
    if (!node) { return null; }
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  function percent(value) {
    return value === null || value === undefined ? "—" : String(value).replace(".", ",") + "%";
  }

  function statusChart() {
    var canvas = document.querySelector("canvas[data-chart=status]");
    var data = readJson("status-data");
    if (!canvas || !data || !data.values.length) { return; }
    charts.push(new window.Chart(canvas, {
      type: "doughnut",
      data: {
        labels: data.labels,
        datasets: [{
          data: data.values,
          backgroundColor: data.keys.map(function (k) { return STATUS_COLOURS[k] || "#999"; })
        }]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } }
      }
    }));
  }

  function sparklines() {
    var series = readJson("spark-data");
    if (!series) { return; }
    var byId = {};
    series.forEach(function (s) { byId[String(s.id)] = s; });
    var canvases = document.querySelectorAll("canvas.spark[data-spark]");
    Array.prototype.forEach.call(canvases, function (canvas) {
      var s = byId[canvas.getAttribute("data-spark")];
      if (!s) { return; }
      charts.push(new window.Chart(canvas, {
        type: "line",
        data: {
          labels: s.labels,
          datasets: [
            {
              label: "Tỷ lệ trực tuyến",
              data: s.shares,
              borderColor: "#1f4fa3",
              backgroundColor: "#1f4fa3",
              borderWidth: 2,
              pointRadius: 1.5,
              spanGaps: true
            },
            {
              label: "Chỉ tiêu",
              data: s.targets,
              borderColor: "#b3261e",
              borderDash: [4, 3],
              borderWidth: 1,
              pointRadius: 0,
              stepped: true
            }
          ]
        },
        options: {
          responsive: false,
          animation: false,
          scales: {
            x: { display: false },
            y: { display: false, suggestedMin: 0, suggestedMax: 100 }
          },
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                label: function (ctx) { return ctx.dataset.label + ": " + percent(ctx.parsed.y); }
              }
            }
          }
        }
      }));
    });
  }

  function completenessChart() {
    var canvas = document.querySelector("canvas[data-chart=completeness]");
    var data = readJson("completeness-data");
    if (!canvas || !data) { return; }
    var parts = [
      ["Đúng hạn", data.on_time, "#1b7f3b"],
      ["Muộn", data.late, "#e0a100"],
      ["Thiếu", data.missing, "#b3261e"],
      ["Chưa đến hạn", data.pending, "#c3c8d2"]
    ];
    charts.push(new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: parts.map(function (p) {
          return { label: p[0], data: p[1], backgroundColor: p[2] };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } },
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } }
      }
    }));
  }

  /* "Tải ảnh PNG" of a chart drawn in the browser: the canvas as it is. */
  function exportButtons() {
    var buttons = document.querySelectorAll("button[data-export]");
    Array.prototype.forEach.call(buttons, function (button) {
      var canvas = document.querySelector(
        "canvas[data-chart=" + button.getAttribute("data-export") + "]"
      );
      var chart = canvas && window.Chart.getChart(canvas);
      if (!chart) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        var link = document.createElement("a");
        link.href = chart.toBase64Image("image/png", 1);
        link.download = button.getAttribute("data-filename") || "bieu-do.png";
        document.body.appendChild(link);
        link.click();
        link.remove();
      });
    });
  }

  function draw() {
    charts.forEach(function (chart) { chart.destroy(); });
    charts = [];
    if (!window.Chart || !document.getElementById("dashboard-body")) { return; }
    window.Chart.defaults.font.family = '"Liberation Sans", "Segoe UI", Arial, sans-serif';
    statusChart();
    sparklines();
    completenessChart();
    exportButtons();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
  /* HTMX replaces the whole body (outerHTML): "htmx:load" fires on the new one, which is in
     the document (the old one, where "afterSettle" fires, is not). */
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail && event.detail.target && event.detail.target.id === "dashboard-body") {
      charts.forEach(function (chart) { chart.destroy(); });
      charts = [];
    }
  });
  document.addEventListener("htmx:load", function (event) {
    if (event.target && event.target.id === "dashboard-body") { draw(); }
  });
}());
