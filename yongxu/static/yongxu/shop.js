// Every shop page (base.html). No inline script anywhere: the Content-Security-Policy allows scripts
// only from these files.
(function () {
  "use strict";
  // Times shown in the buyer's own zone, named; again in whatever htmx swaps in.
  function localTimes(root) {
    root.querySelectorAll("time.local-time").forEach(function (t) {
      var d = new Date(t.getAttribute("datetime"));
      if (!isNaN(d)) {
        t.textContent = d.toLocaleString([], {dateStyle: "medium", timeStyle: "short"}) +
          " (" + Intl.DateTimeFormat().resolvedOptions().timeZone + ")";
      }
    });
  }
  localTimes(document);
  document.addEventListener("htmx:load", function (e) { localTimes(e.detail.elt); });

  // The footer's language switch submits on change (its button shows only without JavaScript).
  var language = document.getElementById("language-switch");
  if (language) language.addEventListener("change", function () { language.form.submit(); });
})();
