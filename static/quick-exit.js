// "Exit this page" (GOV.UK pattern): the link works without JavaScript; with it, leaving replaces
// this page in the history, and pressing Shift 3 times within 5 seconds leaves too.
(function () {
  var link = document.querySelector("[data-quick-exit]");
  if (!link) { return; }
  var presses = 0;
  var timer = null;
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.hidden = true;
    window.location.replace(link.href);
  }
  link.addEventListener("click", leave);
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") { presses = 0; return; }
    presses += 1;
    clearTimeout(timer);
    timer = setTimeout(function () { presses = 0; }, 5000);
    if (presses >= 3) { leave(); }
  });
}());
