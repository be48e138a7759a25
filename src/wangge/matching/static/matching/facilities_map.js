// The portal's facility map: every facility as a dot over the basic grids' outlines, and the
// "nearest to me" search. The point comes from the phone's position, a tap on the map or the
// typed fields; the search asks the public /api/facilities/nearest and draws the answer in
// place (without script the same form is answered by the page itself).
(function () {
  "use strict";
  var page = document.getElementById("facilities-page");
  var holder = document.getElementById("facilities-map");
  var source = document.getElementById("facilities-data");
  var form = document.getElementById("nearest-form");
  var results = document.getElementById("nearest-results");
  var error = document.getElementById("nearest-error");
  var lonInput = document.getElementById("nearest-lon");
  var latInput = document.getElementById("nearest-lat");
  var locate = document.getElementById("nearest-locate");
  if (!page || !form) { return; }
  var facilities = source ? JSON.parse(source.textContent) : [];
  var map = null;
  var here = null;
  var dots = {};

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) { node.className = className; }
    return node;
  }

  function popup(f) {
    var box = document.createElement("div");
    box.appendChild(text("strong", f.name));
    [f.kind_name + (f.open ? "" : "（" + f.status_label + "）"), f.address, f.hours].forEach(function (line) {
      if (line) { box.appendChild(text("div", line)); }
    });
    return box;
  }

  function place(lon, lat) {
    lonInput.value = lon.toFixed(6);
    latInput.value = lat.toFixed(6);
    if (!map) { return; }
    if (here) { here.setLatLng([lat, lon]); } else {
      here = L.circleMarker([lat, lon], { radius: 8, weight: 3, color: "#1565c0", fillColor: "#90caf9", fillOpacity: 0.9, className: "nearest-here" }).addTo(map);
    }
  }

  if (holder && typeof L !== "undefined") {
    var tileUrl = page.dataset.tileUrl;
    map = L.map(holder, { attributionControl: !!tileUrl, zoomSnap: 0.25 });
    if (tileUrl) { L.tileLayer(tileUrl, { attribution: page.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map); }
    var group = L.featureGroup(facilities.map(function (f) {
      var dot = L.circleMarker([f.lat, f.lon], {
        radius: 6, weight: 2, fillOpacity: 0.85, color: f.open ? "#2e7d32" : "#9e9e9e", fillColor: f.open ? "#9ed3a0" : "#e0e0e0",
        className: "facility-dot"
      }).bindPopup(popup(f));
      dots[f.id] = dot;
      return dot;
    }));
    if (facilities.length) { map.fitBounds(group.getBounds(), { padding: [16, 16], maxZoom: 16 }); } else { map.setView([34.75, 113.68], 13); }
    map.on("click", function (event) { place(event.latlng.lng, event.latlng.lat); });
    var drawn = function (outlines) {
      if (outlines) { outlines.addTo(map); if (!facilities.length) { map.fitBounds(outlines.getBounds()); } }
      group.addTo(map);
      holder.dataset.markers = String(facilities.length);
      holder.dataset.drawn = "true";
    };
    fetch(page.dataset.outlines, { headers: { Accept: "application/geo+json" } }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (collection) {
      drawn(collection.features.length ? L.geoJSON(collection, { style: { color: "#90a4ae", weight: 1, fillOpacity: 0.03 }, interactive: false }) : null);
    }, function () { drawn(null); });
  } else if (holder) {
    holder.hidden = true;
  }

  function show(found) {
    results.textContent = "";
    if (!found.length) {
      var none = text("p", "附近暂无开放中的此类设施。", "hint");
      none.id = "nearest-list";
      results.appendChild(none);
      return;
    }
    var list = document.createElement("ol");
    list.className = "nearest-list";
    list.id = "nearest-list";
    found.forEach(function (f) {
      var item = document.createElement("li");
      item.dataset.id = String(f.id);
      item.appendChild(text("strong", f.name));
      item.appendChild(document.createTextNode(" "));
      item.appendChild(text("span", f.metres + " 米", "nearest-distance"));
      item.appendChild(document.createElement("br"));
      item.appendChild(text("span", f.address + (f.hours ? " · " + f.hours : ""), "hint"));
      list.appendChild(item);
    });
    results.appendChild(list);
    if (map && here) {
      var bounds = L.latLngBounds([here.getLatLng()]);
      found.forEach(function (f) { bounds.extend([f.lat, f.lon]); });
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17 });
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    error.textContent = "";
    var lon = parseFloat(lonInput.value), lat = parseFloat(latInput.value);
    if (!isFinite(lon) || !isFinite(lat)) { error.textContent = "请填写有效的经纬度，或点击「使用我的位置」"; return; }
    place(lon, lat);
    var query = new URLSearchParams({ kind: form.elements.kind.value, lon: String(lon), lat: String(lat), count: "5" });
    fetch(page.dataset.nearest + "?" + query.toString(), { headers: { Accept: "application/json" } }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (answer) {
      if (!answer.ok) { error.textContent = answer.body.detail || "查询失败，请稍后再试"; return; }
      show(answer.body);
    }, function () { error.textContent = "网络不可用，请稍后再试"; });
  });

  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      error.textContent = "";
      navigator.geolocation.getCurrentPosition(function (position) {
        place(position.coords.longitude, position.coords.latitude);
        form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
      }, function () { error.textContent = "无法获取您的位置，请在地图上点选或填写经纬度"; }, { enableHighAccuracy: true, timeout: 10000 });
    });
  }
})();
