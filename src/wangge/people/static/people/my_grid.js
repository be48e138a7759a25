// A grid worker's map: the grid's outline and its buildings on a plain background. No tile
// server: field phones often have poor signal, and closed government networks have none.
// A tap on a building opens its dwellings. The data comes from the page (json_script).
(function () {
  "use strict";
  var holder = document.getElementById("my-grid-map");
  var source = document.getElementById("my-grid-data");
  if (!holder || !source) { return; }
  var data = JSON.parse(source.textContent);
  var map = L.map(holder, { attributionControl: false, zoomSnap: 0.25 });
  var outline = L.geoJSON(data.outline, {
    style: { color: "#2e7d32", weight: 2, fillOpacity: 0.08, className: "grid-outline" }
  });
  // The view first: paths added to a map without one share a renderer that is not ready yet.
  map.fitBounds(outline.getBounds(), { padding: [12, 12] });
  outline.addTo(map);

  data.buildings.forEach(function (b) {
    // Radius 10 px: a marker a finger can hit.
    L.circleMarker([b.lat, b.lon], { radius: 10, color: "#b71c1c", weight: 2, fillOpacity: 0.6, className: "building-marker" })
      .bindTooltip(b.name + "：" + b.households + " 户")
      .on("click", function () { window.location.href = b.url; })
      .addTo(map);
  });

  holder.dataset.drawn = "true";
})();
