// The public map of recent reports: the basic grids' outlines as the base map (a tile server
// only when one is configured), one dot per report at its public point, coloured by whether it
// is still being handled. The reports come with the page (json_script); the outlines from the
// public /api/grids/outlines.
(function () {
  "use strict";
  var page = document.getElementById("reports-page");
  var holder = document.getElementById("reports-map");
  var source = document.getElementById("reports-data");
  if (!page || !holder || !source || typeof L === "undefined") { if (holder) { holder.hidden = true; } return; }
  var reports = JSON.parse(source.textContent);
  var tileUrl = page.dataset.tileUrl;

  var map = L.map(holder, { attributionControl: !!tileUrl, zoomSnap: 0.25 });
  if (tileUrl) {
    L.tileLayer(tileUrl, { attribution: page.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
  }

  function label(report) {
    var box = document.createElement("div");
    [report.category, report.status, "上报于 " + report.date].forEach(function (text, i) {
      var line = document.createElement(i ? "div" : "strong");
      line.textContent = text;
      box.appendChild(line);
    });
    return box;
  }

  var dots = L.featureGroup(reports.map(function (r) {
    return L.circleMarker([r.lat, r.lon], {
      radius: 6, weight: 2, fillOpacity: 0.85,
      color: r.open ? "#d35400" : "#2e7d32", fillColor: r.open ? "#f7b267" : "#9ed3a0",
      className: "report-dot " + (r.open ? "is-open" : "is-closed")
    }).bindPopup(label(r));
  }));
  // A view first: paths added to a map without one share a renderer that is not ready yet.
  if (reports.length) { map.fitBounds(dots.getBounds(), { padding: [16, 16], maxZoom: 16 }); } else { map.setView([0, 0], 2); }

  function drawn(outlines) {
    if (outlines) {
      outlines.addTo(map);
      map.fitBounds(outlines.getBounds(), { padding: [8, 8] });
    }
    dots.addTo(map);
    holder.dataset.markers = String(reports.length);
    holder.dataset.drawn = "true";
  }

  fetch(page.dataset.outlines, { headers: { Accept: "application/geo+json" } }).then(function (response) {
    if (!response.ok) { throw new Error(String(response.status)); }
    return response.json();
  }).then(function (collection) {
    drawn(collection.features.length ? L.geoJSON(collection, {
      style: { color: "#90a4ae", weight: 1, fillOpacity: 0.03 }, interactive: false, className: "grid-outline"
    }) : null);
  }, function () { drawn(null); });
})();
