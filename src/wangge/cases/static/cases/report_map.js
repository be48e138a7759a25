// The report form's map. The basic grids' outlines are the base map (a closed network has no
// tile server; one is drawn beneath only when configured); a tap places the report's point,
// and the grid the server says it falls in is outlined. report.js keeps the point: the map
// asks it with "report:pick" and follows "report:position" and "report:grid".
(function () {
  "use strict";
  var root = document.getElementById("report-page");
  var holder = document.getElementById("report-map");
  var source = document.getElementById("report-config");
  var note = document.getElementById("report-map-note");
  if (!root || !holder || !source) { return; }
  function unavailable(text) {
    holder.hidden = true;
    if (note) { note.textContent = text; }
  }
  if (typeof L === "undefined") { return unavailable("地图暂不可用：请点“使用我的位置”或填写地址。"); }
  var config = JSON.parse(source.textContent);

  var GRID = { color: "#607d8b", weight: 1, opacity: 0.8, fillOpacity: 0.02 };
  var CHOSEN = { color: "#2e7d32", weight: 3, opacity: 1, fillOpacity: 0.12 };
  var STREET_ZOOM = 16;

  var map = L.map(holder, { attributionControl: !!config.tile_url, zoomSnap: 0.25 });
  if (config.tile_url) {
    L.tileLayer(config.tile_url, { attribution: config.tile_attribution || "", maxZoom: 19 }).addTo(map);
  }
  // A view first (paths added to a map without one share a renderer that is not ready yet);
  // the outlines bring the district into view when they come.
  map.setView([0, 0], 2);
  var outlines = null;
  var marker = null;
  var chosen = null;

  function highlight(code) {
    chosen = code;
    if (!outlines) { return; }
    outlines.eachLayer(function (layer) {
      var mine = code && layer.feature.properties.code === code;
      layer.setStyle(mine ? CHOSEN : GRID);
      if (mine) { layer.bringToFront(); }
    });
    if (marker) { marker.bringToFront(); }
  }

  fetch(config.outlines, { credentials: "same-origin", headers: { Accept: "application/geo+json" } }).then(function (response) {
    if (!response.ok) { throw new Error(String(response.status)); }
    return response.json();
  }).then(function (collection) {
    // Not interactive: a tap anywhere, on a grid or not, places the point.
    outlines = L.geoJSON(collection, { style: GRID, interactive: false, className: "grid-outline" });
    if (!marker && collection.features.length) { map.fitBounds(outlines.getBounds(), { padding: [8, 8] }); }
    outlines.addTo(map);
    highlight(chosen);
    holder.dataset.drawn = "true";
  }).catch(function () {
    if (!config.tile_url) { unavailable("地图暂不可用（网络不通）：请点“使用我的位置”或填写地址。"); }
  });

  map.on("click", function (event) {
    root.dispatchEvent(new CustomEvent("report:pick", { detail: { lon: event.latlng.lng, lat: event.latlng.lat } }));
  });

  root.addEventListener("report:position", function (event) {
    var at = event.detail;
    if (marker) { marker.remove(); marker = null; }
    if (!at) { return; }
    var point = L.latLng(at.lat, at.lon);
    marker = L.circleMarker(point, { radius: 9, color: "#b71c1c", weight: 3, fillOpacity: 0.7, className: "report-marker", interactive: false }).addTo(map);
    // A tapped point is already in view; a located or restored one is brought there.
    if (at.how !== "map" || !map.getBounds().contains(point)) {
      map.setView(point, Math.max(map.getZoom(), STREET_ZOOM));
    }
  });

  root.addEventListener("report:grid", function (event) { highlight(event.detail.code); });
})();
