// The planned-maintenance banner counts down to the window's start (maintenance/_banner.html).
(function () {
  "use strict";
  var c = document.querySelector(".banner.upcoming .countdown");
  if (!c) return;
  var until = new Date(c.dataset.until).getTime();
  function p(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var s = Math.max(0, Math.floor((until - Date.now()) / 1000)), d = Math.floor(s / 86400);
    s %= 86400;
    c.textContent = (d ? d + "d " : "") + p(Math.floor(s / 3600)) + ":" + p(Math.floor(s % 3600 / 60)) + ":" + p(s % 60);
  }
  tick();
  setInterval(tick, 1000);
})();
