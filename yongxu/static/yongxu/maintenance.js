// The maintenance page (maintenance/page.html): the ETA in the buyer's zone with a countdown, progress
// from /status.json every 3 s, a reload when the shop is back. Its words come from the script tag's
// data-soon and data-left, in the page's language. The page works without this file.
(function () {
  "use strict";
  var script = document.currentScript;
  var eta = document.getElementById("eta"), count = document.getElementById("countdown");
  var labels = {soon: script.dataset.soon, left: script.dataset.left};
  function show() {
    if (!eta) return;
    var t = new Date(eta.getAttribute("datetime"));
    eta.textContent = t.toLocaleString([], {dateStyle: "medium", timeStyle: "short"});
    document.getElementById("zone").textContent = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var s = Math.round((t - new Date()) / 1000);
    if (s <= 0) { count.textContent = labels.soon; return; }
    var h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), r = s % 60;
    count.textContent = (h ? h + "h " : "") + (m ? m + "m " : "") + r + "s " + labels.left;
  }
  function poll() {
    fetch("/status.json", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (d) {
      if (!d.in_maintenance) { location.reload(); return; }
      document.getElementById("bar").style.width = d.progress + "%";
      document.querySelector("[role=progressbar]").setAttribute("aria-valuenow", d.progress);
      document.getElementById("note").textContent = d.progress_note || "";
      var list = document.getElementById("steps");
      list.innerHTML = "";
      (d.steps || []).forEach(function (step) {
        var li = document.createElement("li");
        li.textContent = step.name;
        if (step.done) li.className = "done";
        list.appendChild(li);
      });
      if (d.eta && eta) eta.setAttribute("datetime", d.eta);
    }).catch(function () {});
  }
  var backPath = document.getElementById("back-path");
  if (backPath) backPath.value = location.pathname;
  show();
  setInterval(show, 1000);
  // In a frame it is the control room's preview of a state that may not be live: it must not reload.
  if (window.self === window.top) setInterval(poll, 3000);
})();
