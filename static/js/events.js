// AMA page enhancement: vote buttons toggle in place instead of reloading the page.
// The forms work without this file (the server redirects back to the question with a message).
(function () {
  "use strict";

  window.OKX.postInPlace("form[data-ama-vote]", function (form, data) {
    var button = form.querySelector("button");
    button.setAttribute("aria-pressed", data.voted ? "true" : "false");
    button.querySelector("[data-vote-count]").textContent = data.count;
  });
})();
