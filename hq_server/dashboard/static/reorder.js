// Reorder: select-all per vendor group, a changed quantity ticks its line, a running count of
// what is ticked. The server checks everything again; this only saves clicks.
(function () {
  "use strict";
  const form = document.getElementById("reorder-form");
  if (!form) return;
  const picked = document.getElementById("picked");
  const lines = (group) => form.querySelectorAll('input[name^="pick:"][data-group="' + group + '"]');

  function refresh() {
    form.querySelectorAll("input.select-all").forEach(function (all) {
      const boxes = Array.from(lines(all.dataset.group));
      const ticked = boxes.filter((b) => b.checked).length;
      all.checked = ticked > 0 && ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    });
    const ticked = Array.from(form.querySelectorAll('input[name^="pick:"]')).filter((b) => b.checked);
    const units = ticked.reduce(function (sum, box) {
      const qty = box.closest("tr").querySelector("input.qty-input");
      return sum + (parseInt(qty && qty.value, 10) || 0);
    }, 0);
    picked.textContent = ticked.length
      ? ticked.length + " line" + (ticked.length === 1 ? "" : "s") + " ticked, " + units + " units."
      : "Tick the lines to order.";
  }

  function lineCost(row) {
    const cell = row.querySelector("td.line-cost");
    const qty = row.querySelector("input.qty-input");
    if (!cell || !qty || !row.dataset.cost) return;
    const minor = Number(row.dataset.cost) * (parseInt(qty.value, 10) || 0);
    const format = new Intl.NumberFormat("en", { style: "currency", currency: cell.dataset.currency });
    cell.textContent = format.format(minor / 10 ** format.resolvedOptions().maximumFractionDigits);
  }

  form.addEventListener("change", function (event) {
    const target = event.target;
    if (target.classList.contains("select-all")) {
      lines(target.dataset.group).forEach((box) => { box.checked = target.checked; });
    }
    refresh();
  });
  form.addEventListener("input", function (event) {
    if (!event.target.classList.contains("qty-input")) return;
    const row = event.target.closest("tr");
    const box = row.querySelector('input[name^="pick:"]');
    if (box) box.checked = true;
    lineCost(row);
    refresh();
  });
  refresh();
})();
