// Reporting from a phone with poor signal. A report gets its client id when it is written, is
// kept in IndexedDB at once (with its photos as Blobs) and is sent when the network allows,
// with the client id as the Idempotency-Key: whatever is lost on the way, the server makes one
// case of it. Validation errors are not retried: the user edits or discards the report.
(function () {
  "use strict";
  var root = document.getElementById("report-page");
  var source = document.getElementById("report-config");
  if (!root || !source) { return; }
  var config = JSON.parse(source.textContent);

  var DB_NAME = "wangge-report";
  var STORE = "reports";
  var FIRST_RETRY_MS = 2000;
  var LONGEST_RETRY_MS = 5 * 60 * 1000;
  var KEEP_SENT = 20; // sent reports stay listed (with their number) until there are more than this
  var RETRY_STATUSES = [408, 409, 425, 429]; // the request may succeed as it is, later

  var $ = function (id) { return document.getElementById(id); };
  var form = $("report-form");
  var fields = {
    category: $("report-category"), description: $("report-description"), address: $("report-address"),
    lon: $("report-lon"), lat: $("report-lat"), photos: $("report-photos")
  };
  var outbox = $("outbox");
  var pendingPhotos = []; // {client_id, blob, name} chosen for the report being written
  var sending = {}; // client ids being sent by this page right now
  var timer = null;

  // --- ids -------------------------------------------------------------------------------
  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    // randomUUID needs a secure context; a deployment on plain HTTP still has getRandomValues.
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // --- the store -------------------------------------------------------------------------
  var dbPromise = new Promise(function (resolve, reject) {
    var open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = function () {
      var store = open.result.createObjectStore(STORE, { keyPath: "client_id" });
      store.createIndex("owner", "owner");
    };
    open.onsuccess = function () { resolve(open.result); };
    open.onerror = function () { reject(open.error); };
  });

  function tx(mode, work) {
    return dbPromise.then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode);
        var result = work(t.objectStore(STORE));
        t.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error || new Error("存储失败")); };
      });
    });
  }
  function put(record) { return tx("readwrite", function (s) { s.put(record); }); }
  function remove(clientId) { return tx("readwrite", function (s) { s["delete"](clientId); }); }
  function get(clientId) { return tx("readonly", function (s) { return s.get(clientId); }); }
  // A shared phone keeps each account's reports apart: only the signed-in user's are shown and sent.
  function mine() {
    return tx("readonly", function (s) { return s.index("owner").getAll(config.user); }).then(function (all) {
      return (all || []).sort(function (a, b) { return b.written_at.localeCompare(a.written_at); });
    });
  }

  // --- the outbox list -------------------------------------------------------------------
  var LABELS = { queued: "待发送", sending: "发送中", sent: "已上报", error: "出错" };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function button(text, cls, onClick) {
    var b = el("button", cls, text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  function shownState(r) { return sending[r.client_id] ? "sending" : r.state; }

  function item(r) {
    var li = el("li", "outbox-item state-" + shownState(r));
    li.dataset.clientId = r.client_id;
    li.dataset.state = shownState(r);
    var head = el("div", "outbox-head");
    head.appendChild(el("span", "outbox-state", LABELS[shownState(r)]));
    head.appendChild(el("span", "outbox-category", config.categories[r.body.category] || r.body.category));
    var time = el("time", "outbox-time", new Date(r.written_at).toLocaleString("zh-CN", { hour12: false }));
    time.dateTime = r.written_at;
    head.appendChild(time);
    li.appendChild(head);
    li.appendChild(el("p", "outbox-description", r.body.description));
    li.appendChild(el("p", "outbox-id", "编号 " + r.client_id));
    if (r.number) {
      var done = el("p", "outbox-number");
      done.appendChild(document.createTextNode("受理编号 "));
      var link = el("a", "", r.number);
      link.href = config.case_page.replace("{id}", r.case_id);
      done.appendChild(link);
      li.appendChild(done);
      if (r.follow_code) { li.appendChild(el("p", "outbox-follow-code", "查询码 " + r.follow_code + "（凭受理编号和查询码可在门户网站查询进度）")); }
    }
    var waiting = r.photos.filter(function (p) { return !p.sent && !p.error; }).length;
    if (waiting) { li.appendChild(el("p", "outbox-photos", "照片 " + waiting + " 张待发送")); }
    r.photos.filter(function (p) { return p.error; }).forEach(function (p) {
      li.appendChild(el("p", "outbox-photo-error", "照片「" + p.name + "」未能上传：" + p.error));
    });
    if (r.note && r.state === "queued") { li.appendChild(el("p", "outbox-note", r.note)); }
    if (r.state === "error") { li.appendChild(el("p", "outbox-error", r.error)); }
    (r.duplicates || []).forEach(function (d) {
      li.appendChild(el("p", "outbox-duplicate",
        "附近已有同类事件：" + d.number + "（" + d.status_label + "，相距约 " + Math.round(d.distance_m) + " 米），供参考。"));
    });
    var actions = el("div", "outbox-actions");
    if (r.state === "error") {
      actions.appendChild(button("修改", "secondary edit", function () { edit(r.client_id); }));
      actions.appendChild(button("放弃", "secondary discard", function () { discard(r.client_id); }));
    } else if (r.state === "sent" && !waiting) {
      actions.appendChild(button("移出列表", "secondary clear", function () { remove(r.client_id).then(render); }));
    }
    if (actions.childNodes.length) { li.appendChild(actions); }
    return li;
  }

  function render() {
    return mine().then(function (records) {
      outbox.replaceChildren.apply(outbox, records.map(item));
      $("outbox-empty").hidden = records.length > 0;
    });
  }

  function showNetState() {
    $("net-state").textContent = navigator.onLine ? "" : "当前没有网络：上报会保存在本机，恢复网络后自动发送。";
  }

  // --- sending ---------------------------------------------------------------------------
  function csrfToken() {
    var prefix = config.csrf_cookie + "=";
    var found = document.cookie.split("; ").filter(function (c) { return c.indexOf(prefix) === 0; })[0];
    if (found) { return decodeURIComponent(found.slice(prefix.length)); }
    var hidden = document.querySelector("input[name=csrfmiddlewaretoken]");
    return hidden ? hidden.value : "";
  }

  function detailOf(response) {
    return response.json().then(function (body) {
      var fieldsWithErrors = (body.errors || []).filter(function (e) { return e.field; });
      return body.detail || fieldsWithErrors.map(function (e) { return e.field + "：" + e.reason; }).join("；") || ("错误 " + response.status);
    }, function () { return "服务器返回错误 " + response.status; });
  }

  function retryable(status) { return status >= 500 || RETRY_STATUSES.indexOf(status) >= 0; }

  function later(r, note) {
    r.attempts = (r.attempts || 0) + 1;
    var wait = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * Math.pow(2, r.attempts - 1));
    r.next_try = Date.now() + wait * (0.75 + Math.random() / 2);
    r.note = note || "";
    return r;
  }

  function postCase(r) {
    var body = { client_id: r.client_id, category: r.body.category, description: r.body.description, address: r.body.address };
    if (r.body.lon !== null && r.body.lat !== null) { body.lon = r.body.lon; body.lat = r.body.lat; }
    return fetch(config.api, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json", Accept: "application/json",
        "X-CSRFToken": csrfToken(), "Idempotency-Key": r.client_id
      },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (response.status === 200 || response.status === 201) {
        return response.json().then(function (c) {
          r.state = "sent"; r.case_id = c.id; r.number = c.number; r.follow_code = c.follow_code; r.note = ""; r.attempts = 0; r.next_try = 0;
          r.duplicates = c.duplicates || [];
          return r;
        });
      }
      if (response.status === 401) { return later(r, "登录已过期：请重新登录，登录后自动发送。"); }
      if (retryable(response.status)) { return later(r, "服务器暂时不能受理，稍后自动重试。"); }
      return detailOf(response).then(function (detail) { r.state = "error"; r.error = detail; return r; });
    }, function () { return later(r, navigator.onLine ? "网络不稳定，稍后自动重试。" : ""); });
  }

  function postPhoto(r, photo) {
    var data = new FormData();
    data.append("file", photo.blob, photo.name);
    data.append("client_id", photo.client_id);
    return fetch(config.photos.replace("{id}", r.case_id), {
      method: "POST", credentials: "same-origin", body: data,
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      if (response.status === 200 || response.status === 201) {
        photo.sent = true; photo.blob = null; // the server has it: free the phone's storage
        return true;
      }
      if (response.status === 401 || retryable(response.status)) { return false; }
      return detailOf(response).then(function (detail) { photo.error = detail; photo.blob = null; return true; });
    }, function () { return false; });
  }

  async function sendPhotos(r) {
    for (var i = 0; i < r.photos.length; i++) {
      var photo = r.photos[i];
      if (photo.sent || photo.error) { continue; }
      var settled = await postPhoto(r, photo);
      await put(r); // each photo's outcome is kept at once: a reload never uploads it twice over
      if (!settled) { later(r, "照片稍后自动重试。"); return; }
    }
    r.note = "";
  }

  async function send(clientId) {
    if (sending[clientId]) { return; }
    sending[clientId] = true;
    try {
      await render();
      var r = await get(clientId);
      if (!r || r.state === "error") { return; }
      if (r.state === "queued") { r = await postCase(r); await put(r); }
      if (r.state === "sent") { await sendPhotos(r); await put(r); }
    } finally {
      delete sending[clientId];
      await render();
    }
  }

  function unfinished(r) {
    return r.state === "queued" || (r.state === "sent" && r.photos.some(function (p) { return !p.sent && !p.error; }));
  }

  // Sends what is due (or everything, when the network has just come back), then sets one
  // timer for the next report that is waiting.
  async function flush(all) {
    clearTimeout(timer);
    var records = (await mine()).filter(unfinished);
    for (var i = 0; i < records.length; i++) {
      if (all || !records[i].next_try || records[i].next_try <= Date.now()) { await send(records[i].client_id); }
    }
    await trimSent();
    var waiting = (await mine()).filter(unfinished);
    if (waiting.length) {
      var soonest = Math.min.apply(null, waiting.map(function (r) { return r.next_try || Date.now(); }));
      timer = setTimeout(function () { flush(false); }, Math.max(1000, soonest - Date.now()));
    }
  }

  function trimSent() {
    return mine().then(function (records) {
      var sent = records.filter(function (r) { return r.state === "sent" && !unfinished(r); });
      return Promise.all(sent.slice(KEEP_SENT).map(function (r) { return remove(r.client_id); }));
    });
  }

  // --- writing ---------------------------------------------------------------------------
  function showError(message, field) {
    $("report-error").textContent = message;
    if (field) { field.focus(); }
  }

  function readForm() {
    var lon = fields.lon.value === "" ? null : Number(fields.lon.value);
    var lat = fields.lat.value === "" ? null : Number(fields.lat.value);
    var body = {
      category: fields.category.value, description: fields.description.value.trim(),
      address: fields.address.value.trim(), lon: lon, lat: lat
    };
    if (!body.category) { return showError("类别：请选择类别", fields.category); }
    if (!body.description) { return showError("描述：请写明发生了什么", fields.description); }
    if (body.description.length > config.max_description) {
      return showError("描述：不能超过 " + config.max_description + " 字", fields.description);
    }
    if (lon === null && !body.address) { return showError("位置：请在地图上点选、点“使用我的位置”或填写地址", fields.address); }
    return body;
  }

  function clearForm() {
    form.reset();
    setPosition(null, null, null);
    $("report-editing").value = "";
    $("report-cancel-edit").hidden = true;
    $("report-submit").textContent = "上报";
    pendingPhotos = [];
    renderPhotos();
    updateCounter();
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    showError("");
    var body = readForm();
    if (!body) { return; }
    var editing = $("report-editing").value;
    var earlier = editing ? await get(editing) : null;
    var record = {
      // A corrected report keeps its id: it never made a case, and if it somehow did the
      // server answers with that case rather than making a second one.
      client_id: earlier ? earlier.client_id : newId(),
      owner: config.user,
      written_at: earlier ? earlier.written_at : new Date().toISOString(),
      body: body,
      photos: pendingPhotos.map(function (p) { return { client_id: p.client_id, blob: p.blob, name: p.name, sent: false, error: "" }; }),
      state: "queued", error: "", note: "", attempts: 0, next_try: 0, duplicates: []
    };
    try {
      await put(record);
    } catch (err) {
      return showError("本机存储失败，未能保存：" + (err && err.message ? err.message : "请检查浏览器存储空间"));
    }
    clearForm();
    await render();
    flush(false);
  });

  async function edit(clientId) {
    var r = await get(clientId);
    if (!r) { return; }
    fields.category.value = r.body.category;
    fields.description.value = r.body.description;
    fields.address.value = r.body.address || "";
    setPosition(r.body.lon, r.body.lat, null, "restore");
    pendingPhotos = r.photos.filter(function (p) { return p.blob; }).map(function (p) { return { client_id: p.client_id, blob: p.blob, name: p.name }; });
    renderPhotos();
    updateCounter();
    $("report-editing").value = clientId;
    $("report-cancel-edit").hidden = false;
    $("report-submit").textContent = "重新上报";
    showError("请修改后重新上报：" + r.error);
    form.scrollIntoView();
  }

  function discard(clientId) {
    if (!window.confirm("放弃这条上报？本机保存的内容和照片将被删除。")) { return; }
    if ($("report-editing").value === clientId) { clearForm(); }
    remove(clientId).then(render);
  }

  $("report-cancel-edit").addEventListener("click", function () { clearForm(); showError(""); });

  function updateCounter() {
    $("report-counter").textContent = fields.description.value.length + " / " + config.max_description;
  }
  fields.description.addEventListener("input", updateCounter);

  // how: "locate" (the phone's position), "map" (a tap on the map) or "restore" (a report
  // taken back for correction); the map (report_map.js) follows through the event.
  function setPosition(lon, lat, accuracy, how) {
    fields.lon.value = lon === null || lon === undefined ? "" : String(lon);
    fields.lat.value = lat === null || lat === undefined ? "" : String(lat);
    var none = fields.lon.value === "";
    $("report-position").textContent = none ? "尚未定位" :
      "经度 " + Number(lon).toFixed(6) + "，纬度 " + Number(lat).toFixed(6) +
      (accuracy ? "（精度约 " + Math.round(accuracy) + " 米）" : how === "map" ? "（地图选点）" : "");
    root.dispatchEvent(new CustomEvent("report:position", { detail: none ? null : { lon: Number(lon), lat: Number(lat), how: how || "" } }));
    showGrid(none ? null : Number(lon), none ? null : Number(lat));
  }

  // --- the grid the point falls in, shown before sending ------------------------------------
  // Asked of the server (the same locator the report will meet); only the latest question's
  // answer is shown. Without a network the report still goes: the server decides on arrival.
  var gridQuestion = 0;

  function gridShown(text, state, code) {
    var shown = $("report-grid");
    shown.textContent = text;
    shown.dataset.state = state;
    root.dispatchEvent(new CustomEvent("report:grid", { detail: { code: code || null } }));
  }

  function showGrid(lon, lat) {
    var asked = ++gridQuestion;
    if (lon === null) { return gridShown("", "", null); }
    gridShown("正在确定所在网格…", "asking", null);
    var url = config.grid_at + "?lon=" + encodeURIComponent(lon) + "&lat=" + encodeURIComponent(lat);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (response) {
      if (asked !== gridQuestion) { return; }
      if (response.status === 200) {
        return response.json().then(function (grid) {
          if (asked === gridQuestion) { gridShown("所在网格：" + grid.name + "（" + grid.code + "）", "found", grid.code); }
        });
      }
      if (response.status === 401) { return gridShown("登录已过期，暂时无法确定所在网格；上报会在重新登录后发送。", "unknown", null); }
      return detailOf(response).then(function (detail) {
        if (asked === gridQuestion) { gridShown(detail, "refused", null); }
      });
    }).catch(function () {
      if (asked === gridQuestion) { gridShown("暂时无法确定所在网格（网络不通）；上报发送后由平台确定。", "unknown", null); }
    });
  }

  root.addEventListener("report:pick", function (event) {
    // Six decimals is about 0.1 m, as for a located phone.
    setPosition(Number(event.detail.lon.toFixed(6)), Number(event.detail.lat.toFixed(6)), null, "map");
    showError("");
  });

  $("report-locate").addEventListener("click", function () {
    if (!navigator.geolocation) { return showError("位置：此浏览器不能定位，请填写地址", fields.address); }
    $("report-position").textContent = "正在定位…";
    navigator.geolocation.getCurrentPosition(function (pos) {
      // Six decimals is about 0.1 m: more would only pretend to a precision no phone has.
      setPosition(Number(pos.coords.longitude.toFixed(6)), Number(pos.coords.latitude.toFixed(6)), pos.coords.accuracy, "locate");
    }, function (err) {
      setPosition(null, null, null);
      showError(err.code === 1 ? "位置：未获准定位，请在浏览器中允许定位，或填写地址" : "位置：暂时无法定位，请稍后重试或填写地址", fields.address);
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  });

  // --- photos ----------------------------------------------------------------------------
  function renderPhotos() {
    var list = $("report-photo-list");
    list.replaceChildren.apply(list, pendingPhotos.map(function (p, i) {
      var li = el("li", "photo", p.name + "（" + Math.max(1, Math.round(p.blob.size / 1024)) + " KB）");
      li.appendChild(button("移除", "secondary", function () { pendingPhotos.splice(i, 1); renderPhotos(); }));
      return li;
    }));
  }

  fields.photos.addEventListener("change", function () {
    var files = Array.prototype.slice.call(fields.photos.files);
    var room = config.max_photos - pendingPhotos.length;
    if (files.length > room) { showError("照片：每条上报最多 " + config.max_photos + " 张，多出的未加入", fields.photos); }
    files.slice(0, Math.max(0, room)).forEach(function (file) {
      // Each photo's id is given when it is added, so a re-sent photo is recognised as the same.
      pendingPhotos.push({ client_id: newId(), blob: file, name: file.name || "照片.jpg" });
    });
    fields.photos.value = "";
    renderPhotos();
  });

  // --- start -----------------------------------------------------------------------------
  window.addEventListener("online", function () { showNetState(); flush(true); });
  window.addEventListener("offline", showNetState);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { flush(false); } });
  showNetState();
  updateCounter();
  render().then(function () { return flush(true); }).then(function () { root.dataset.ready = "true"; });

  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register(config.service_worker, { scope: config.service_worker_scope }).catch(function () { return null; });
  }
})();
