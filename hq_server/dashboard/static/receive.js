// Receiving against a purchase order: a keyboard-wedge scanner "types" a barcode fast and ends it
// with Enter. A scan into the scan field, or anywhere on the page, finds its line by barcode or
// SKU and adds 1 to "Receiving now"; a code not on the order changes nothing and says so.
// Variance (received minus ordered, after this receipt) follows every change. The server checks
// the receipt again when it is posted; nothing here decides what may be received.
(function () {
  "use strict";
  const section = document.getElementById("receive");
  if (!section) return;
  const form = document.getElementById("receive-form");
  const scan = document.getElementById("scan");
  const message = document.getElementById("scan-message");
  const rows = Array.from(form.querySelectorAll("tbody tr[data-line]"));
  const order = section.dataset.order;
  const mayOverReceive = section.dataset.over === "1";
  const MAX_GAP_MS = 100; // wedge scanners send a key every few ms; people rarely type this fast
  const MIN_LENGTH = 6; // barcodes are 8+ characters; a quick "120" + Enter is a person typing a count
  let burst = "", lastKey = 0, burstTarget = null, valueBefore = null, posting = false;

  const number = (row, key) => parseInt(row.dataset[key], 10) || 0;
  const receivingNow = (row) => parseInt(row.querySelector("input.recv-input").value, 10) || 0;

  function varianceHtml(v) {
    const span = document.createElement("span");
    span.className = "variance " + (v < 0 ? "short" : v > 0 ? "over" : "even");
    span.textContent = v < 0 ? "short " + (-v).toLocaleString("en") : v > 0 ? "over " + v.toLocaleString("en") : "complete";
    return span;
  }

  function refresh() {
    let ordered = 0, received = 0, now = 0;
    rows.forEach(function (row) {
      const n = receivingNow(row);
      ordered += number(row, "ordered"); received += number(row, "before"); now += n;
      row.querySelector(".variance-cell").replaceChildren(
        varianceHtml(number(row, "before") + n - number(row, "ordered")));
    });
    document.getElementById("now-total").textContent = now.toLocaleString("en");
    document.getElementById("variance-total").replaceChildren(varianceHtml(received + now - ordered));
  }

  function say(text, kind) {
    message.textContent = text;
    message.className = "scan-message " + kind;
  }

  function lineOf(code) {
    const wanted = code.trim().toUpperCase();
    return rows.find((row) => row.dataset.codes.split(" ").some((c) => c.toUpperCase() === wanted));
  }

  function addOne(code) {
    code = code.trim();
    if (!code) return;
    const row = lineOf(code);
    if (!row) {
      say("“" + code + "” is not on " + order + ": nothing was added. Set the item aside and tell the buyer.", "error");
      return;
    }
    const input = row.querySelector("input.recv-input");
    input.value = receivingNow(row) + 1;
    refresh();
    rows.forEach((r) => r.classList.remove("scanned"));
    void row.offsetWidth; // restart the highlight on a repeated scan
    row.classList.add("scanned"); // stays on the last line scanned
    const total = number(row, "before") + receivingNow(row), ordered = number(row, "ordered");
    let text = row.dataset.sku + ": receiving " + receivingNow(row) + " now, " + total + " of " + ordered + " ordered.";
    if (total > ordered) {
      text += mayOverReceive ? " More than ordered." : " More than ordered: your role cannot post this; set the extra aside.";
    }
    say(text, total > ordered ? "warn" : "ok");
  }

  scan.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    event.preventDefault();
    addOne(scan.value);
    scan.value = "";
  });
  document.getElementById("scan-add").addEventListener("click", function () {
    addOne(scan.value);
    scan.value = "";
    scan.focus();
  });

  // A scan while the cursor is elsewhere: fast printable keys, then Enter. The keys may have
  // landed in a quantity field; it gets back the value it had before the burst.
  document.addEventListener("keydown", function (event) {
    if (event.target === scan || event.ctrlKey || event.metaKey || event.altKey) return;
    const gap = event.timeStamp - lastKey;
    lastKey = event.timeStamp;
    if (event.key.length === 1) {
      if (gap > MAX_GAP_MS) {
        burst = "";
        burstTarget = event.target;
        valueBefore = "value" in event.target ? event.target.value : null;
      }
      burst += event.key;
      return;
    }
    if (event.key !== "Enter") return;
    const isScan = burst.length >= MIN_LENGTH && gap <= MAX_GAP_MS;
    if (isScan) {
      event.preventDefault();
      if (burstTarget && valueBefore !== null) burstTarget.value = valueBefore;
      addOne(burst);
    } else if (event.target.classList && event.target.classList.contains("recv-input")) {
      event.preventDefault(); // Enter in a count does not post the receipt: use the button
    }
    burst = "";
  }, true);

  form.addEventListener("input", refresh);
  form.addEventListener("submit", function () { posting = true; });
  window.addEventListener("beforeunload", function (event) {
    if (!posting && rows.some((row) => receivingNow(row) > 0)) event.preventDefault();
  });
  refresh();
})();
