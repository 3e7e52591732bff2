// Bar charts of the portal («История показаний», «Отгрузки → План/факт»): every
// <canvas data-source="…"> is drawn from the page's <script type="application/json"> of that id
// (Django's json_script), never from HTML; the table beside each chart carries the same numbers for
// screen readers and the version for the visually impaired.
(function () {
  "use strict";

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function draw(canvas) {
    if (typeof window.Chart === "undefined") {
      return;
    }
    var source = document.getElementById(canvas.dataset.source);
    if (!source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var accessible = document.documentElement.classList.contains("a11y");
    // normal version: the brand colour and two companions; the accessible version: the scheme's
    // text colour only, zones told apart by fill (solid, hollow, hatched-looking thin fill)
    var text = cssVar("--kb-text", "#212529");
    var palette = accessible
      ? [text, text, text]
      : [cssVar("--kb-primary", "#0d6efd"), "#6f42c1", "#198754"];
    var fills = accessible ? [text, "transparent", "rgba(127,127,127,0.35)"] : palette;
    var datasets = data.datasets.map(function (set, i) {
      return {
        label: set.label,
        data: set.data,
        backgroundColor: fills[i % fills.length],
        borderColor: palette[i % palette.length],
        borderWidth: accessible ? 2 : 1,
      };
    });
    Chart.defaults.color = text;
    Chart.defaults.font.size = accessible ? 16 : 12;
    new Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: datasets.length > 1 },
          tooltip: {
            callbacks: {
              label: function (item) {
                var value = item.parsed.y === null ? "—" : item.parsed.y.toLocaleString("ru-RU");
                return item.dataset.label + ": " + value + " " + data.unit;
              },
            },
          },
        },
        scales: {
          x: { grid: { display: false }, ticks: { color: text } },
          y: {
            beginAtZero: true,
            ticks: { color: text },
            title: { display: true, text: data.unit, color: text },
          },
        },
      },
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-source]").forEach(draw);
  });
})();
