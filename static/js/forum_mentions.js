// @mention autocomplete for the topic and reply boxes: after "@" and two characters, a list
// of matching members appears under the box; arrows move, Enter or Tab picks, Escape closes.
// Without JavaScript, typing @username by hand works the same.
(function () {
  const script = document.currentScript;
  const url = script && script.dataset.lookupUrl;
  if (!url || !window.fetch) return;
  const TOKEN = /(^|[^\w@.+-])@([\w.+-]{2,30})$/;

  function attach(textarea) {
    const list = document.createElement("ul");
    list.className = "forum-mentions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    textarea.after(list);
    textarea.setAttribute("aria-autocomplete", "list");
    let users = [], active = 0, timer = null, token = null;

    function close() { list.hidden = true; users = []; token = null; }

    function show() {
      list.replaceChildren(...users.map((user, index) => {
        const item = document.createElement("li");
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", index === active ? "true" : "false");
        item.textContent = "@" + user.username + (user.name !== user.username ? " · " + user.name : "");
        item.addEventListener("mousedown", (event) => { event.preventDefault(); pick(index); });
        return item;
      }));
      list.hidden = users.length === 0;
    }

    function pick(index) {
      const user = users[index];
      if (!user || !token) return;
      const end = textarea.selectionStart, start = end - token.length;
      const inserted = "@" + user.username + " ";
      textarea.setRangeText(inserted, start, end, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      close();
    }

    function lookup() {
      const before = textarea.value.slice(0, textarea.selectionStart);
      const match = TOKEN.exec(before);
      if (!match) { close(); return; }
      const typed = match[2];
      fetch(url + "?q=" + encodeURIComponent(typed), {
        headers: { Accept: "application/json" }, credentials: "same-origin",
      }).then((response) => response.json()).then((data) => {
        token = "@" + typed;
        users = data.users || [];
        active = 0;
        show();
      }).catch(close);
    }

    textarea.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(lookup, 150);
    });
    textarea.addEventListener("keydown", (event) => {
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
    textarea.addEventListener("blur", () => setTimeout(close, 150));
  }

  document.querySelectorAll("textarea[name=body]").forEach(attach);
})();
