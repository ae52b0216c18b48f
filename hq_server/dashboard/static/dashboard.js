// Live stock: one WebSocket to /api/v1/live; each message {type:'stock', product_id, store_id, on_hand}.
// A cell's number opens its explanation (GET /stock/explain, the ledger) in a dialog; the store
// cards' totals are fetched after the page (GET /stock/totals).
// Each message is also dispatched as a "tillhq:live" window event, for pages with their own
// live parts (today.js).
// The socket is signed in by the HttpOnly session cookie. Closed with 4401 it means the access
// token expired: POST /refresh renews the cookies, then reconnect; if that fails, sign in again.
(function () {
  "use strict";
  const indicator = document.getElementById("live");
  const path = document.body.dataset.livePath || "/api/v1/live";
  let delay = 500;
  let refusals = 0; // 4401s since the last open socket: more than a couple means signed out

  function setLive(online) {
    indicator.classList.toggle("online", online);
    indicator.classList.toggle("offline", !online);
    indicator.querySelector(".label").textContent = online ? "live" : "reconnecting…";
  }

  function levelOf(onHand, reorder) {
    if (onHand <= 0) return "out";
    return onHand <= reorder ? "low" : "ok";
  }

  function apply(msg) {
    if (msg.type !== "stock") return;
    const cell = document.getElementById("c-" + msg.product_id + "-" + msg.store_id);
    if (!cell) return;
    const reorder = parseInt(cell.dataset.reorder || "0", 10);
    const level = levelOf(msg.on_hand, reorder);
    const link = cell.querySelector("a.explain");
    if (link) {
      link.textContent = msg.on_hand;
      // "SKU at S001: 12, low. Why?" -> the new number and level
      link.setAttribute("aria-label", link.getAttribute("aria-label").replace(
        /: [^.]*\. Why\?$/, ": " + msg.on_hand + (level === "ok" ? "" : ", " + level) + ". Why?"));
    } else {
      cell.textContent = msg.on_hand;
    }
    cell.classList.remove("ok", "low", "out", "none", "flash");
    cell.classList.add(level);
    void cell.offsetWidth; // restart the flash animation
    cell.classList.add("flash");
    refreshOpenExplanation(msg);
  }

  // --- the stock page: store totals after the page, and a cell's explanation in a dialog ---
  const totals = document.getElementById("stock-totals");
  if (totals && totals.dataset.src) {
    fetch(totals.dataset.src, {credentials: "same-origin"}).then(function (reply) {
      return reply.ok ? reply.text() : Promise.reject(reply.status);
    }).then(function (html) { totals.innerHTML = html; }, function () {
      totals.querySelectorAll(".n, [id^=units-]").forEach(function (el) { el.textContent = "?"; });
    });
  }

  const dialog = document.getElementById("explain");
  let explained = null; // {link, product, store} of the open explanation

  function showExplanation(link) {
    const body = dialog.querySelector(".explain-body");
    const cell = link.closest("td");
    explained = {link: link, product: cell.dataset.product, store: cell.dataset.store};
    body.innerHTML = '<p class="muted">Loading…</p>';
    if (!dialog.open) dialog.showModal();
    body.focus();
    loadExplanation(body, link.href);
  }

  function loadExplanation(body, href) {
    fetch(href + "&partial=1", {credentials: "same-origin"}).then(function (reply) {
      if (reply.redirected && reply.url.indexOf("/login") >= 0) { location.href = reply.url; return ""; }
      return reply.text();
    }).then(function (html) { if (html) body.innerHTML = html; }, function () {
      body.innerHTML = '<p class="alert error" role="alert">Could not load the explanation; try again.</p>';
    });
  }

  function refreshOpenExplanation(msg) {
    if (!dialog || !dialog.open || !explained) return;
    if (explained.product === msg.product_id && explained.store === msg.store_id) {
      loadExplanation(dialog.querySelector(".explain-body"), explained.link.href);
    }
  }

  if (dialog && dialog.showModal) {
    document.addEventListener("click", function (event) {
      const link = event.target.closest && event.target.closest("a.explain");
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return; // new tab: the page
      event.preventDefault();
      showExplanation(link);
    });
    dialog.querySelector(".close").addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("click", function (event) { if (event.target === dialog) dialog.close(); });
    dialog.addEventListener("close", function () {
      if (explained) explained.link.focus(); // back to the cell it was opened from
      explained = null;
    });
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const ws = new WebSocket(scheme + location.host + path);
    ws.onopen = function () { delay = 500; refusals = 0; setLive(true); };
    ws.onmessage = function (event) {
      let msg;
      try { msg = JSON.parse(event.data); apply(msg); } catch (e) { console.warn("bad live message", e); return; }
      window.dispatchEvent(new CustomEvent("tillhq:live", {detail: msg}));
    };
    ws.onclose = function (event) {
      setLive(false);
      if (event.code === 4401) { refusals += 1; refreshThenConnect(); return; }
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 15000); // back off while HQ is away
    };
    ws.onerror = function () { ws.close(); };
  }

  function refreshThenConnect() {
    fetch("/refresh", {method: "POST", credentials: "same-origin"}).then(function (reply) {
      if (reply.ok && refusals < 3) { setTimeout(connect, 100 * refusals); return; }
      location.href = "/login?next=" + encodeURIComponent(location.pathname + location.search);
    }, function () { setTimeout(refreshThenConnect, delay); delay = Math.min(delay * 2, 15000); });
  }

  connect();
})();
