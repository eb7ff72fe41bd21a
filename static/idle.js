// Before the answers are cleared for being idle (WCAG 2.2.1): warn 2 minutes before, and let the
// person keep going. Without JavaScript, each question page says how long answers are kept.
(function () {
  var main = document.querySelector("[data-idle-seconds]");
  var dialog = document.getElementById("idle-warning");
  if (!main || !dialog || typeof dialog.showModal !== "function") { return; }
  var WARN_BEFORE = 120;
  var timers = [];
  function schedule(seconds) {
    timers.forEach(clearTimeout);
    timers = [
      setTimeout(function () { if (!dialog.open) { dialog.showModal(); } },
                 Math.max(0, seconds - WARN_BEFORE) * 1000),
      // cleared: leave the page, so the answers are not left on the screen either
      setTimeout(function () { window.location.replace(main.getAttribute("data-idle-end-url")); },
                 seconds * 1000)
    ];
  }
  function keep() {
    fetch(main.getAttribute("data-idle-keep-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": main.getAttribute("data-csrf") }
    }).then(function (response) {
      return response.ok ? response.json() : Promise.reject(response);
    }).then(function (kept) {
      dialog.close();
      schedule(kept.seconds);
    }).catch(function () { window.location.reload(); });
  }
  dialog.querySelector("[data-idle-keep]").addEventListener("click", keep);
  dialog.addEventListener("cancel", function (event) { event.preventDefault(); keep(); });  // Esc
  schedule(parseInt(main.getAttribute("data-idle-seconds"), 10));
}());
