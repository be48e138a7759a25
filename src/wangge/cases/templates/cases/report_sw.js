// The reporting page's service worker: it keeps /report, its scripts and styles and its map's
// grid outlines so that the page opens again with no signal, and leaves everything else (the
// rest of the API above all) to the network. Reports themselves are kept by report.js in
// IndexedDB, not here.
"use strict";
const CONFIG = {{ config|safe }};
// The page is fetched from the network first (it carries the signed-in user and a fresh CSRF
// token); on a poor line the cached copy is used after this long rather than a blank screen.
const NETWORK_WAIT_MS = 4000;

self.addEventListener("install", (event) => {
  // Not cache.addAll: it would keep the sign-in page under /report if the session had ended.
  event.waitUntil((async () => {
    const cache = await caches.open(CONFIG.cache);
    await Promise.all([CONFIG.page, ...CONFIG.assets].map(async (path) => {
      const response = await fetch(path, { credentials: "same-origin", cache: "no-cache" });
      if (response.ok && !response.redirected) { await cache.put(path, response); }
    }));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((n) => n.startsWith("wangge-report-") && n !== CONFIG.cache).map((n) => caches.delete(n))
      ))
      .then(() => self.clients.claim())
  );
});

function kept(url) {
  return url.origin === self.location.origin && (url.pathname === CONFIG.page || CONFIG.assets.includes(url.pathname));
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then((v) => { clearTimeout(timer); resolve(v); }, (e) => { clearTimeout(timer); reject(e); });
  });
}

async function networkFirst(request, key) {
  const cache = await caches.open(CONFIG.cache);
  const fetched = fetch(request);
  try {
    const response = await withTimeout(fetched, NETWORK_WAIT_MS);
    // A redirect (to the sign-in page) or an error page is shown but never kept as the page.
    if (response.ok && !response.redirected) {
      await cache.put(key, response.clone());
    }
    return response;
  } catch (err) {
    const cached = await cache.match(key);
    if (cached) {
      // A slow answer that comes after all still refreshes the copy for next time.
      fetched.then((r) => (r.ok && !r.redirected ? cache.put(key, r) : null)).catch(() => null);
      return cached;
    }
    return fetched;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") { return; }
  const url = new URL(request.url);
  if (!kept(url)) { return; }
  // The page is kept under its bare path: /report?x=1 still opens offline.
  event.respondWith(networkFirst(request, url.pathname));
});
