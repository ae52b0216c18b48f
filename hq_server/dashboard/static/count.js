// Count sheet: a keyboard-wedge scanner types the barcode then Enter into #scan; each scan adds 1
// to that product's counted quantity (the saved form is what counts; this only fills it in).
(function () {
  "use strict";
  const scan = document.getElementById("scan");
  const said = document.getElementById("scan-said");
  if (!scan) return;
  const rows = {};
  document.querySelectorAll("tr[data-codes]").forEach(function (row) {
    row.dataset.codes.split(" ").forEach(function (code) { if (code) rows[code.toUpperCase()] = row; });
  });

  function bump(code) {
    const row = rows[code.toUpperCase()];
    if (!row) {
      said.textContent = code + " is not on this count";
      said.classList.add("miss");
      return;
    }
    const input = row.querySelector("input.qty");
    input.value = (parseInt(input.value || "0", 10) || 0) + 1;
    input.classList.remove("bumped");
    void input.offsetWidth; // restart the animation
    input.classList.add("bumped");
    row.classList.add("counted");
    said.classList.remove("miss");
    said.textContent = row.dataset.sku + ": " + input.value;
  }

  scan.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const code = scan.value.trim();
    scan.value = "";
    if (code) bump(code);
  });
})();
