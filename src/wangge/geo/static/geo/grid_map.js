// The grid map: the active layer drawn with Leaflet (no tile server needed), drilling down from
// level 1 to level 3. Every figure shown comes from /api/grids, scoped to the signed-in user.
(function () {
  "use strict";
  var page = document.getElementById("grid-page");
  if (!page) { return; }
  var api = page.dataset.api;
  var map = L.map("grid-map", { attributionControl: false, zoomSnap: 0.25 });
  var colours = { 1: "#b71c1c", 2: "#1565c0", 3: "#2e7d32" };
  var shown = null;
  var trail = [];

  // Counts with thousands separators, as the back office's tables show them; codes stay as they are.
  function text(value) {
    if (value === null || value === undefined) { return "—"; }
    return typeof value === "number" ? value.toLocaleString("zh-CN") : String(value);
  }

  function row(label, value) {
    var tr = document.createElement("tr");
    var th = document.createElement("th");
    var td = document.createElement("td");
    th.textContent = label;
    td.textContent = text(value);
    tr.appendChild(th);
    tr.appendChild(td);
    return tr;
  }

  function showFigures(title, p, features) {
    var table = document.getElementById("figures");
    table.replaceChildren();
    var caption = document.createElement("caption");
    caption.textContent = title;
    table.appendChild(caption);
    if (p) {
      table.appendChild(row("网格编码", p.code));
      table.appendChild(row("层级", p.level + " 级"));
      table.appendChild(row("户数", p.households));
      table.appendChild(row("人口", p.population));
      table.appendChild(row("下级网格", p.children));
      if (p.level === 3) { table.appendChild(row("网格员", p.grid_worker)); }
    } else {
      var households = 0, population = 0;
      features.forEach(function (f) { households += f.properties.households; population += f.properties.population; });
      table.appendChild(row("网格数", features.length));
      table.appendChild(row("户数", households));
      table.appendChild(row("人口", population));
    }
  }

  function showCrumbs() {
    var crumbs = document.getElementById("crumbs");
    crumbs.replaceChildren(document.createTextNode("当前位置："));
    var top = document.createElement("button");
    top.textContent = "全区";
    top.addEventListener("click", function () { trail = []; load(); });
    crumbs.appendChild(top);
    trail.forEach(function (p, i) {
      crumbs.appendChild(document.createTextNode(" > "));
      var b = document.createElement("button");
      b.textContent = p.name;
      b.addEventListener("click", function () { trail = trail.slice(0, i + 1); load(); });
      crumbs.appendChild(b);
    });
  }

  function showList(features) {
    var list = document.getElementById("grid-list");
    list.replaceChildren();
    features.forEach(function (f) {
      var li = document.createElement("li");
      var b = document.createElement("button");
      b.textContent = f.properties.name;
      b.title = f.properties.code;  // the name shown, its code on hover
      b.className = "code-name";
      b.dataset.code = f.properties.code;
      b.addEventListener("click", function () { choose(f.properties); });
      li.appendChild(b);
      list.appendChild(li);
    });
  }

  function choose(p) {
    if (p.level < 3 && p.children > 0) {
      trail.push(p);
      load();
    } else {
      showFigures(p.name, p, []);
    }
  }

  function draw(collection) {
    if (shown) { map.removeLayer(shown); }
    shown = L.geoJSON(collection, {
      style: function (f) {
        return { color: colours[f.properties.level], weight: 1.5, fillOpacity: 0.15, className: "grid grid-level-" + f.properties.level };
      },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(f.properties.name + "：" + text(f.properties.households) + " 户，" + text(f.properties.population) + " 人");
        layer.on("click", function () { choose(f.properties); });
      }
    }).addTo(map);
    if (collection.features.length) { map.fitBounds(shown.getBounds()); }
  }

  function load() {
    var current = trail[trail.length - 1];
    var url = api + (current ? "?parent=" + encodeURIComponent(current.code) : "?level=" + page.dataset.topLevel);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("加载网格失败：" + response.status); }
        return response.json();
      })
      .then(function (collection) {
        draw(collection);
        showCrumbs();
        showList(collection.features);
        // The list as a file: the same grids, by the same parent, through the page's export.
        document.getElementById("grid-export").href = "?export=xlsx" + (current ? "&parent=" + encodeURIComponent(current.code) : "");
        showFigures(current ? current.name : "全区", current || null, collection.features);
        page.dataset.loaded = current ? current.code : "top";
      })
      .catch(function (error) { document.getElementById("crumbs").textContent = error.message; });
  }

  load();
})();
