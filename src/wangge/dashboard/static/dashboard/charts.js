// The charts page: each chart drawn with ECharts from /api/stats/charts; the same numbers are
// in the table under each chart (served with the page), shown instead of it on request.
(function () {
  "use strict";
  var root = document.getElementById("dash-charts");
  if (!root) { return; }
  var drawn = {};

  // A period not over yet (the current month) is named 「本月（截至 X 日）」 and drawn pale.
  function point(chart, row, value, k) {
    if (!chart.partial || chart.partial.row !== k || value === null) { return value; }
    return { value: value, itemStyle: { opacity: 0.45 }, symbol: "emptyCircle" };
  }

  function option(chart) {
    var percent = chart.percent;
    var categories = chart.rows.map(function (r, k) {
      return chart.partial && chart.partial.row === k ? r[0] + "\n" + chart.partial.label : r[0];
    });
    var series = chart.series.map(function (i) {
      return {
        name: chart.columns[i],
        type: chart.kind,
        data: chart.rows.map(function (r, k) { return point(chart, r, r[i] === null ? null : (percent ? Math.round(r[i] * 1000) / 10 : r[i]), k); }),
        label: { show: chart.rows.length <= 16, position: "top", formatter: percent ? "{c}%" : "{c}" }
      };
    });
    var rotate = categories.length > 8 ? 40 : 0;
    return {
      animation: false,
      color: ["#b71c1c", "#1565c0", "#2e7d32", "#ef6c00"],
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: rotate ? 110 : 40, containLabel: false },
      xAxis: { type: "category", data: categories, axisLabel: { rotate: rotate, interval: 0 } },
      yAxis: { type: "value", max: percent ? 100 : null, axisLabel: { formatter: percent ? "{value}%" : "{value}" } },
      series: series
    };
  }

  function toggle(button) {
    var section = document.getElementById("chart-" + button.dataset.key);
    var table = section.querySelector(".dash-chart-table");
    var canvas = section.querySelector(".dash-chart-canvas");
    var showTable = table.hidden;
    table.hidden = !showTable;
    canvas.hidden = showTable;
    button.textContent = showTable ? "图表" : "表格";
    button.setAttribute("aria-pressed", showTable ? "true" : "false");
    if (!showTable && drawn[button.dataset.key]) { drawn[button.dataset.key].resize(); }
  }

  Array.prototype.forEach.call(root.querySelectorAll(".dash-toggle"), function (button) {
    button.addEventListener("click", function () { toggle(button); });
  });

  fetch(root.dataset.api, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error("加载图表数据失败：" + response.status); }
      return response.json();
    })
    .then(function (data) {
      data.charts.forEach(function (chart) {
        var section = document.getElementById("chart-" + chart.key);
        if (!section) { return; }
        var box = section.querySelector(".dash-chart-canvas");
        if (!chart.rows.length) { box.textContent = "暂无数据"; return; }
        var instance = echarts.init(box, null, { renderer: "svg" });
        instance.setOption(option(chart));
        drawn[chart.key] = instance;
        section.dataset.drawn = "1";
      });
      window.addEventListener("resize", function () {
        Object.keys(drawn).forEach(function (k) { drawn[k].resize(); });
      });
      root.dataset.loaded = "1";
    })
    .catch(function (error) { root.insertBefore(document.createTextNode(error.message), root.firstChild); });
})();
