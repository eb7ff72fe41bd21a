// Enhancement only: show a Print button where JavaScript runs. Without it, the page says how to print.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
