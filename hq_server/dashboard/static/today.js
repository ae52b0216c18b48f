// Today: when the live socket (dashboard.js) says stock moved in one of our stores — every sale
// moves stock — fetch the figures again as server-rendered HTML; every 30 s too, for the tills'
// online status. At most one fetch per MIN_GAP ms however busy the chain: the first sale after a
// quiet spell shows at once, a burst (a till's backlog, a busy Saturday) costs one fetch per gap.
(function () {
  "use strict";
  const MIN_GAP = 2000;
  const box = document.getElementById("figures");
  let timer = null;
  let last = 0;

  function refresh() {
    timer = null;
    last = Date.now();
    fetch("/today/figures", {credentials: "same-origin", cache: "no-store"}).then(function (reply) {
      if (reply.status === 401) { location.reload(); return null; }
      return reply.ok ? reply.text() : null;
    }).then(function (html) {
      if (html) {
        box.innerHTML = html;
        box.dataset.updated = String(Date.now());
      }
    }).catch(function () { /* offline: the next message or tick tries again */ });
  }

  function soon() {
    if (timer !== null) return; // one already scheduled: it will show this change too
    timer = setTimeout(refresh, Math.max(50, last + MIN_GAP - Date.now()));
  }

  window.addEventListener("tillhq:live", function (event) {
    if (event.detail && event.detail.type === "stock") soon();
  });
  setInterval(soon, 30000);
})();
