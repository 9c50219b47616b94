// @mention autocomplete for the topic and reply boxes: after "@" and two characters, a list
// of matching members appears under the box; arrows move, Enter or Tab picks, Escape closes.
// Without JavaScript, typing @username by hand works the same.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.dataset.lookupUrl;
  if (!url || !window.fetch) return;
  var TOKEN = /(^|[^\w@.+-])@([\w.+-]{2,30})$/;

  function attach(textarea) {
    var list = document.createElement("ul");
    list.className = "forum-mentions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    textarea.after(list);
    textarea.setAttribute("aria-autocomplete", "list");
    var users = [], active = 0, timer = null, token = null;

    function close() { list.hidden = true; users = []; token = null; }

    function show() {
      list.replaceChildren.apply(list, users.map(function (user, index) {
        var item = document.createElement("li");
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", index === active ? "true" : "false");
        item.textContent = "@" + user.username + (user.name !== user.username ? " · " + user.name : "");
        item.addEventListener("mousedown", function (event) { event.preventDefault(); pick(index); });
        return item;
      }));
      list.hidden = users.length === 0;
    }

    function pick(index) {
      var user = users[index];
      if (!user || !token) return;
      var end = textarea.selectionStart, start = end - token.length;
      textarea.setRangeText("@" + user.username + " ", start, end, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      close();
    }

    function lookup() {
      var match = TOKEN.exec(textarea.value.slice(0, textarea.selectionStart));
      if (!match) { close(); return; }
      var typed = match[2];
      fetch(url + "?q=" + encodeURIComponent(typed), {
        headers: { Accept: "application/json" }, credentials: "same-origin",
      }).then(function (response) { return response.json(); }).then(function (data) {
        token = "@" + typed;
        users = data.users || [];
        active = 0;
        show();
      }).catch(close);
    }

    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, 150);
    });
    textarea.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        active = (active + (event.key === "ArrowDown" ? 1 : users.length - 1)) % users.length;
        show();
      } else if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        pick(active);
      } else if (event.key === "Escape") {
        close();
      }
    });
    textarea.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll("textarea[name=body]").forEach(attach);
})();
