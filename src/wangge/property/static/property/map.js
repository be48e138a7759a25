// The Red Property map: each compound in the caller's scope as its boundary or a dot, coloured
// by management mode or by the stars of the latest published rating (the switch); the legends'
// counts are the server's, computed from the same records.
(function () {
  "use strict";
  var page = document.getElementById("pm-page");
  if (!page) { return; }
  var places = JSON.parse(document.getElementById("pm-places").textContent);
  var colours = JSON.parse(document.getElementById("pm-colours").textContent);
  var tileUrl = page.dataset.tileUrl;
  var map = L.map("pm-map", { attributionControl: !!tileUrl, zoomSnap: 0.25 });
  if (tileUrl) {
    L.tileLayer(tileUrl, { attribution: page.dataset.tileAttribution || "", maxZoom: 18 }).addTo(map);
  }
  var layer = L.featureGroup().addTo(map);
  var shapes = [];

  function key(place, by) { return by === "stars" ? String(place.stars === null || place.stars === undefined ? 0 : place.stars) : place.mode; }

  function describe(place) {
    var div = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = place.name;
    div.appendChild(title);
    div.appendChild(document.createElement("br"));
    div.appendChild(document.createTextNode(place.kind + " · " + place.community + " · " + colours.mode[place.mode].label + " · " + colours.stars[key(place, "stars")].label));
    return div;
  }

  places.forEach(function (place) {
    var shape;
    if (place.boundary) {
      shape = L.geoJSON(JSON.parse(place.boundary), { style: { weight: 1, fillOpacity: 0.6 } });
    } else {
      shape = L.circleMarker([place.lat, place.lon], { radius: 7, weight: 1, color: "#333", fillOpacity: 0.85 });
    }
    shape.bindPopup(function () { return describe(place); });
    shape.addTo(layer);
    shapes.push({ place: place, shape: shape });
  });

  function paint(by) {
    shapes.forEach(function (s) {
      var fill = colours[by][key(s.place, by)].colour;
      s.shape.setStyle({ fillColor: fill, color: s.place.boundary ? fill : "#333" });
    });
    document.getElementById("pm-legend-mode").hidden = by !== "mode";
    document.getElementById("pm-legend-stars").hidden = by !== "stars";
    var note = document.getElementById("pm-stars-note");
    if (note) { note.hidden = by !== "stars"; }
    page.dataset.colouredBy = by;
  }

  document.querySelectorAll('input[name="pm-colour"]').forEach(function (input) {
    input.addEventListener("change", function () { paint(input.value); });
  });
  paint("mode");
  if (shapes.length) {
    map.fitBounds(layer.getBounds(), { padding: [16, 16] });
  } else {
    map.setView([34.74, 113.70], 12);
  }
})();
