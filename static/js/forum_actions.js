// Topic page enhancement: reaction buttons toggle in place instead of reloading the page.
// The forms work without this file (the server redirects back to the post with a message).
(function () {
  "use strict";

  window.OKX.postInPlace("form[data-reaction]", function (form, data) {
    var button = form.querySelector('button[value="' + data.kind + '"]');
    button.setAttribute("aria-pressed", data.reacted ? "true" : "false");
    button.querySelector("[data-reaction-count]").textContent = data.count || "";
  });
})();
