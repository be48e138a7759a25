// The dashboard map: the grids in the user's scope coloured by a chosen figure, drilling down
// district → level 1 → level 2 → level 3, with open cases as points at level 3. Every number
// comes from /api/stats/grids, which adds each figure up the grid tree on the server.
(function () {
  "use strict";
  var page = document.getElementById("dash-map-page");
  if (!page) { return; }
  var tileUrl = page.dataset.tileUrl;
  var map = L.map("dash-map", { attributionControl: !!tileUrl, zoomSnap: 0.25 });
  if (tileUrl) {
    L.tileLayer(tileUrl, { attribution: page.dataset.tileAttribution || "", maxZoom: 18 }).addTo(map);
  }
  var palette = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"];
  var empty = "#d9d9d9";
  var select = document.getElementById("dash-figure");
  var shapes = null, points = null, current = null;

  function shown(value, figure) {
    if (value === null || value === undefined) { return "—"; }
    return figure.rate ? (value * 100).toFixed(1) + "%" : String(value) + " " + figure.unit;
  }

  function breaks(features) {
    var values = features.map(function (f) { return f.properties.value; })
      .filter(function (v) { return v !== null; }).sort(function (a, b) { return a - b; });
    if (!values.length) { return []; }
    var cuts = [];
    for (var i = 1; i < palette.length; i++) { cuts.push(values[Math.floor(i * values.length / palette.length)]); }
    return cuts;
  }

  function colour(value, cuts) {
    if (value === null || value === undefined) { return empty; }
    var i = 0;
    while (i < cuts.length && value >= cuts[i]) { i++; }
    return palette[Math.min(i, palette.length - 1)];
  }

  function legend(cuts, figure) {
    var box = document.getElementById("dash-legend");
    box.replaceChildren();
    var bounds = [null].concat(cuts);
    palette.forEach(function (c, i) {
      if (i > 0 && cuts[i - 1] === cuts[i]) { return; }
      var item = document.createElement("span");
      var swatch = document.createElement("i");
      swatch.style.background = c;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(bounds[i] === null ? "较低" : "≥ " + shown(bounds[i], figure)));
      box.appendChild(item);
    });
  }

  function crumbs(data) {
    var box = document.getElementById("dash-crumbs");
    box.replaceChildren(document.createTextNode("当前位置："));
    var top = document.createElement("button");
    top.type = "button";
    top.textContent = page.dataset.root;
    top.addEventListener("click", function () { load(null, true); });
    box.appendChild(top);
    data.trail.forEach(function (node) {
      box.appendChild(document.createTextNode(" > "));
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = node.name;
      b.dataset.code = node.code;
      b.addEventListener("click", function () { load(node.code, false); });
      box.appendChild(b);
    });
  }

  function table(data) {
    document.getElementById("dash-value-heading").textContent = data.figure.label;
    var body = document.querySelector("#dash-grid-table tbody");
    body.replaceChildren();
    data.features.forEach(function (f) {
      var p = f.properties;
      var tr = document.createElement("tr");
      var name = document.createElement("td");
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = p.name;
      b.dataset.code = p.code;
      b.addEventListener("click", function () { choose(p); });
      name.appendChild(b);
      var value = document.createElement("td");
      value.className = "dash-grid-value";
      value.textContent = shown(p.value, data.figure);
      tr.appendChild(name);
      tr.appendChild(value);
      body.appendChild(tr);
    });
    var total = document.getElementById("dash-total");
    var where = data.trail.length ? data.trail[data.trail.length - 1].name : page.dataset.root;
    var text = where + " " + data.figure.label + "：" + shown(data.total.value, data.figure);
    if (data.figure.rate) { text += "（按时结案 " + data.total.parts[0] + " 件 / 结案 " + data.total.parts[1] + " 件）"; }
    total.textContent = text;
  }

  function choose(p) {
    if (p.level < 3 && p.children > 0) { load(p.code, false); return; }
    page.dataset.selected = p.code;
    if (shapes) {
      shapes.eachLayer(function (layer) {
        if (layer.feature.properties.code === p.code) { map.fitBounds(layer.getBounds()); layer.openTooltip(); }
      });
    }
  }

  function draw(data) {
    if (shapes) { map.removeLayer(shapes); }
    var cuts = breaks(data.features);
    shapes = L.geoJSON(data, {
      style: function (f) {
        return { color: "#555", weight: 1, fillOpacity: 0.7, fillColor: colour(f.properties.value, cuts),
          className: "dash-grid dash-grid-level-" + f.properties.level };
      },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(f.properties.name + "：" + shown(f.properties.value, data.figure));
        layer.on("click", function () { choose(f.properties); });
      }
    }).addTo(map);
    legend(cuts, data.figure);
    if (data.features.length) { map.fitBounds(shapes.getBounds()); }
  }

  function drawPoints(parent) {
    if (points) { map.removeLayer(points); points = null; }
    var note = document.getElementById("dash-points-note");
    note.textContent = "";
    var level = page.dataset.level;
    if (level !== "3") { return Promise.resolve(); }
    var url = page.dataset.points + (parent ? "?parent=" + encodeURIComponent(parent) : "");
    return fetchJson(url).then(function (data) {
      points = L.geoJSON(data, {
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, { radius: 5, color: "#0d47a1", weight: 1, fillColor: "#1e88e5", fillOpacity: 0.9, className: "dash-case" });
        },
        onEachFeature: function (f, layer) {
          var p = f.properties;
          var box = document.createElement("div");
          var a = document.createElement("a");
          a.href = "/cases/" + p.id;
          a.textContent = p.number;
          box.appendChild(a);
          box.appendChild(document.createTextNode(" " + p.category + "（" + p.status_label + "）"));
          layer.bindPopup(box);
        }
      }).addTo(map);
      note.textContent = "蓝点为未办结事件，共 " + data.features.length + " 件；点击查看。";
      page.dataset.caseCount = String(data.features.length);
    });
  }

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (response) {
      if (!response.ok) { throw new Error("加载失败：" + response.status); }
      return response.json();
    });
  }

  function load(parent, descend) {
    var url = page.dataset.api + "?figure=" + encodeURIComponent(select.value) + (parent ? "&parent=" + encodeURIComponent(parent) : "");
    page.dataset.busy = "1";
    fetchJson(url).then(function (data) {
      // A scope with a single grid at this level (a community, a grid worker's grid) opens
      // straight onto the grids below it.
      var only = data.features.length === 1 ? data.features[0].properties : null;
      if (descend && only && only.level < 3 && only.children > 0) { load(only.code, true); return null; }
      current = parent;
      draw(data);
      crumbs(data);
      table(data);
      page.dataset.level = data.features.length ? String(data.features[0].properties.level) : "";
      return drawPoints(parent).then(function () {
        delete page.dataset.busy;
        page.dataset.loaded = (parent || "top") + ":" + select.value;
      });
    }).catch(function (error) { document.getElementById("dash-crumbs").textContent = error.message; });
  }

  select.addEventListener("change", function () { load(current, false); });
  load(null, true);
})();
