// Staff pages: a form with data-confirm="question" asks before it is sent (instead of an inline onsubmit).
(function () {
  "use strict";
  document.addEventListener("submit", function (e) {
    var question = e.target.getAttribute && e.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) e.preventDefault();
  });
})();
