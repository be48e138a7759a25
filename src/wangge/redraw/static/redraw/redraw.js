// The redraw page: the current layer (from /api/grids) beside the proposal (from the page's
// data-proposal), each grid coloured by its households against the chosen bounds.
(function () {
  "use strict";
  var form = document.getElementById("redraw-form");
  if (form) {
    // The engine takes a moment on a whole district: say so while the page is computed.
    form.addEventListener("submit", function () { document.getElementById("redraw-busy").hidden = false; });
  }
  var box = document.getElementById("redraw-maps");
  if (!box) { return; }
  var min = Number(box.dataset.min), max = Number(box.dataset.max);
  var colours = { below: "#1565c0", within: "#2e7d32", above: "#c62828" };

  function band(households) { return households < min ? "below" : households > max ? "above" : "within"; }

  function style(kind) {
    return function (f) {
      var b = band(f.properties.households);
      return {
        color: b === "within" ? "#1b5e20" : colours[b], weight: b === "within" ? 1 : 3, fillColor: colours[b], fillOpacity: 0.3,
        className: "grid " + kind + "-grid " + (b === "within" ? "in-bounds" : "out-of-bounds")
      };
    };
  }

  function draw(id, collection, kind) {
    var map = L.map(id, { attributionControl: false, zoomSnap: 0.25 });
    var layer = L.geoJSON(collection, {
      style: style(kind),
      onEachFeature: function (f, l) {
        var p = f.properties;
        l.bindTooltip((p.name || p.code) + "：" + p.households + " 户" + (p.flag ? "（" + p.flag + "）" : ""));
      }
    }).addTo(map);
    if (collection.features.length) { map.fitBounds(layer.getBounds()); }
    return map;
  }

  function follow(a, b) {
    // Moving one map moves the other, so that the same streets are compared.
    var busy = false;
    a.on("moveend", function () {
      if (busy) { return; }
      busy = true;
      b.setView(a.getCenter(), a.getZoom(), { animate: false });
      busy = false;
    });
  }

  var proposal = draw("map-proposal", JSON.parse(box.dataset.proposal), "proposal");
  box.dataset.proposalDrawn = "yes";
  fetch(box.dataset.api, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error("加载当前图层失败：" + response.status); }
      return response.json();
    })
    .then(function (collection) {
      var current = draw("map-current", collection, "current");
      follow(current, proposal);
      follow(proposal, current);
      box.dataset.currentDrawn = "yes";
    })
    .catch(function (error) { document.getElementById("map-current").textContent = error.message; });
})();
