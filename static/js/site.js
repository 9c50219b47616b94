// Small enhancements only: every page works without this file.
(function () {
  "use strict";
  // Close the account menu when clicking elsewhere or pressing Escape.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.account-menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.account-menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });

  // Shared with the section scripts, which load after this one (all are deferred, in order).
  window.OKX = {
    // Send `form` as the browser would (with the name and value of the button that submitted
    // it, if any), asking for JSON; resolves to {status, data}.
    postForm: function (form, submitter) {
      return fetch(form.action, {
        method: "POST",
        body: new FormData(form, submitter || null),
        headers: { "X-Requested-With": "XMLHttpRequest", "Accept": "application/json" },
        credentials: "same-origin",
      }).then(function (response) {
        return response.json().then(function (data) { return { status: response.status, data: data }; });
      });
    },
    // Forms matching `selector` are posted in place and `show(form, data)` updates the page
    // with the JSON answer. A visitor who must log in is sent there; any other failure submits
    // the form the plain way, so the server explains in the user's language.
    postInPlace: function (selector, show) {
      document.addEventListener("submit", function (event) {
        var form = event.target.closest(selector);
        if (!form || !window.fetch) return;
        event.preventDefault();
        var button = event.submitter || form.querySelector("button");
        if (button.disabled) return;
        var sent = window.OKX.postForm(form, event.submitter);  // before disabling: a disabled
        button.disabled = true;                                 // button's value is not sent
        sent.then(function (result) {
          if (result.status === 401 && result.data.login_url) {
            window.location.assign(result.data.login_url);
            return;
          }
          if (result.status !== 200) throw new Error(result.data.error || "not done");
          show(form, result.data);
          button.disabled = false;
        }).catch(function () {
          // form.submit() leaves out the pressed button: carry its name and value along.
          if (event.submitter && event.submitter.name) {
            var field = document.createElement("input");
            field.type = "hidden";
            field.name = event.submitter.name;
            field.value = event.submitter.value;
            form.appendChild(field);
          }
          form.submit();
        });
      });
    },
    // Ask `url?q=<text>` what matches the text typed in `input`, 300 ms after typing stops,
    // and hand the JSON answer to `show` (null on an error, or without a whole word to look
    // for: three letters or digits, or two CJK characters, as the server counts them). A
    // slower, older answer never replaces a newer one. These lists are a nicety: the forms
    // work without them.
    lookupWhileTyping: function (input, url, show) {
      var WHOLE_WORD = /[\p{L}\p{N}]{3}|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]{2}/u;
      var latest = 0;
      var timer;
      function lookup() {
        var query = input.value.trim();
        var request = ++latest;
        if (!WHOLE_WORD.test(query)) { show(null); return; }
        fetch(url + "?q=" + encodeURIComponent(query), {
          headers: { "Accept": "application/json" }, credentials: "same-origin",
        }).then(function (response) {
          return response.ok ? response.json() : null;
        }).then(function (data) {
          if (request === latest) show(data);
        }).catch(function () { /* keep what is shown */ });
      }
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(lookup, 300);
      });
      if (input.value) lookup();
    },
  };
})();
