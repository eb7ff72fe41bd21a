// Enhancement only: show a Print button where JavaScript runs. Without it, the page says how to print.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});

// Printing shows what the closed <details> hold (the stylesheet does the same where it can).
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details").forEach(function (details) { details.open = true; });
});
