// Charts of the statistics and annual report pages, drawn with Apache ECharts
// (static/vendor/echarts, see its VERSION file) from the JSON in each
// [data-chart] element (gateway/charts.py). Progressive enhancement: the
// tables next to the charts hold the same figures, and are all a browser
// without JavaScript shows. No inline script or style (the CSP forbids both):
// sizes are set through the DOM style object.
(function () {
  "use strict";
  if (!window.echarts) return;
  var lang = document.documentElement.lang === "en" ? "en" : "zh-CN";
  // At least 3:1 contrast on white (WCAG 1.4.11 non-text contrast).
  var PALETTE = ["#0b3d91", "#8b0000", "#1b5e20", "#6a1b9a", "#bf360c", "#004d40", "#37474f", "#880e4f", "#33691e"];
  var charts = [];

  function formatter(spec) {
    var format = new Intl.NumberFormat(lang, {
      minimumFractionDigits: spec.decimals,
      maximumFractionDigits: spec.decimals
    });
    return function (value) {
      return format.format(value) + (spec.unit ? " " + spec.unit : "");
    };
  }

  function option(spec, width) {
    var horizontal = spec.kind === "bars";
    var stacked = spec.series.length > 1;
    var format = formatter(spec);
    var plain = new Intl.NumberFormat(lang, { maximumFractionDigits: spec.decimals });
    var figure = new Intl.NumberFormat(lang, { minimumFractionDigits: spec.decimals, maximumFractionDigits: spec.decimals });
    var category = {
      type: "category",
      data: spec.labels,
      axisTick: { alignWithLabel: true },
      axisLabel: { hideOverlap: true, color: "#1a1a1a", fontSize: 13 }
    };
    var value = {
      type: "value",
      splitNumber: width < 480 ? 3 : 5,
      minInterval: spec.decimals ? 0 : 1, // counts are whole numbers
      // 0 sits where the two axes meet: it would touch the first category label.
      axisLabel: { showMinLabel: false, hideOverlap: true, color: "#4a4a4a", fontSize: 12, formatter: function (v) { return plain.format(v); } }
    };
    if (horizontal) {
      // Long names (没收违法所得、没收非法财物) get a line each, cut to the room there is;
      // the tooltip and the table show them in full.
      category.inverse = true;
      category.axisLabel.width = Math.max(72, Math.round(width * 0.38));
      category.axisLabel.overflow = "truncate";
    }
    return {
      color: PALETTE,
      animation: false,
      aria: { enabled: true, label: { description: spec.description } },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: format, confine: true },
      legend: stacked ? { type: "scroll", bottom: 0, textStyle: { color: "#1a1a1a" } } : { show: false },
      grid: { left: 8, right: horizontal ? 72 : 16, top: 16, bottom: stacked ? 40 : 8, containLabel: true },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: spec.series.map(function (s) {
        return {
          name: s.name,
          type: "bar",
          data: s.values,
          stack: stacked ? "total" : undefined,
          colorBy: stacked ? "series" : "data",
          barMaxWidth: 28,
          // the unit is in the caption; the label keeps to the number so it fits beside the bar
          label: horizontal ? { show: true, position: "right", color: "#1a1a1a", formatter: function (p) { return figure.format(p.value); } } : { show: false }
        };
      })
    };
  }

  var boxes = document.querySelectorAll("[data-chart]");
  for (var i = 0; i < boxes.length; i++) {
    var box = boxes[i];
    var spec = JSON.parse(box.getAttribute("data-chart"));
    box.hidden = false;
    box.style.height = spec.height + "px";
    var chart = window.echarts.init(box, null, { renderer: "svg", locale: lang === "en" ? "EN" : "ZH" });
    chart.setOption(option(spec, box.clientWidth));
    charts.push({ chart: chart, spec: spec, box: box });
  }
  var pending = 0;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      charts.forEach(function (c) {
        c.chart.setOption(option(c.spec, c.box.clientWidth), true);
        c.chart.resize();
      });
    }, 100);
  });
})();
