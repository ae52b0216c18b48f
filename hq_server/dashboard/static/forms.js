// Forms marked data-confirm ask first (revoking a till cannot be undone).
document.addEventListener("submit", function (event) {
  "use strict";
  const message = event.target.dataset && event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
