// Live stock: one WebSocket to /api/v1/live; each message {type:'stock', product_id, store_id, on_hand}.
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
    cell.textContent = msg.on_hand;
    cell.classList.remove("ok", "low", "out", "none", "flash");
    cell.classList.add(levelOf(msg.on_hand, reorder));
    void cell.offsetWidth; // restart the flash animation
    cell.classList.add("flash");
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
