// A case on its map: the outline of its grid and a marker at the reported point, on a plain
// background (no tile server: closed government networks have none). Data from json_script.
(function () {
  "use strict";
  var holder = document.getElementById("case-map");
  var source = document.getElementById("case-map-data");
  if (!holder || !source || typeof L === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var map = L.map(holder, { attributionControl: false, zoomSnap: 0.25 });
  var point = L.latLng(data.lat, data.lon);
  var outline = data.outline ? L.geoJSON(data.outline, {
    style: { color: "#2e7d32", weight: 2, fillOpacity: 0.08, className: "grid-outline" }
  }) : null;
  // The view first: paths added to a map without one share a renderer that is not ready yet.
  if (outline) {
    map.fitBounds(outline.getBounds().extend(point), { padding: [16, 16] });
    outline.addTo(map);
  } else {
    map.setView(point, 17);
  }
  L.circleMarker(point, { radius: 9, color: "#b71c1c", weight: 3, fillOpacity: 0.7, className: "case-marker" })
    .bindTooltip(data.number)
    .addTo(map);
  holder.dataset.drawn = "true";
})();
