// Live pages (<body data-live="domain">): the server says "something you may see changed" on
// /console/live (Server-Sent Events); the page then asks for itself again, as a reload would,
// and swaps in its [data-live-region] parts, leaving forms and focus alone. The indicator in the
// header says live, reconnecting or signed out. On reconnect the browser sends Last-Event-ID and
// the server answers with a change at once, so what was missed while away is caught up.
"use strict";
(function () {
  const domain = document.body.dataset.live;
  const status = document.getElementById("live-status");
  if (!domain || !status || !window.EventSource) return;

  function show(state) {
    status.hidden = false;
    status.dataset.state = state;
    status.textContent = status.dataset["text" + state.charAt(0).toUpperCase() + state.slice(1)] || state;
  }

  let pending = null;
  let running = false;
  async function refresh() {
    pending = null;
    if (running) { pending = setTimeout(refresh, 300); return; }
    running = true;
    try {
      // Naming the change it was told of lets the server answer with figures computed since,
      // shared with every other page told of the same change.
      const response = await fetch(location.href, { credentials: "same-origin", headers: { "X-Vigil-Live": "1", "X-Vigil-Live-Seen": seen } });
      if (response.redirected && new URL(response.url).pathname === "/console/login") { show("offline"); source.close(); return; }
      if (!response.ok) return;
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
      for (const region of document.querySelectorAll("[data-live-region][id]")) {
        const replacement = fresh.getElementById(region.id);
        if (replacement && replacement.innerHTML !== region.innerHTML) region.innerHTML = replacement.innerHTML;
      }
      document.body.dataset.refreshedAt = String(Date.now());
    } catch (error) {
      // The next change or reconnect tries again.
    } finally {
      running = false;
    }
  }
  // Many changes in a burst become one refresh.
  let seen = "0";
  function schedule(event) {
    if (event && /^[0-9]+$/.test(event.lastEventId) && Number(event.lastEventId) > Number(seen)) seen = event.lastEventId;
    if (!pending) pending = setTimeout(refresh, 150);
  }

  const source = new EventSource("/console/live?domains=" + encodeURIComponent(domain));
  source.addEventListener("open", () => show("on"));
  source.addEventListener("error", () => show(source.readyState === EventSource.CLOSED ? "offline" : "reconnecting"));
  source.addEventListener("change", schedule);
  source.addEventListener("signed-out", () => { source.close(); show("offline"); });
  window.addEventListener("pagehide", () => source.close());
})();
