// As-you-type suggestions for a text box: a small ARIA 1.2 combobox (a listbox under the box).
// Used by the header's search box and the search page, which both work without this file.
//
// Configuration, with data- attributes on the input:
//   data-search-suggest="<url of search:suggest>"      (required)
//   data-search-suggest-label="Suggestions"            (the listbox's accessible name)
// Keys: Down/Up move through the suggestions, Enter opens the one chosen (with none chosen,
// Enter does what it always does: submit the form), Escape closes the list.
(function () {
  "use strict";
  if (!window.fetch) return;

  var DELAY_MS = 150;
  var counter = 0;

  function setUp(input) {
    if (input.dataset.searchSuggestReady) return;
    input.dataset.searchSuggestReady = "1";
    var url = input.dataset.searchSuggest;
    var id = "search-suggest-" + (++counter);

    var box = document.createElement("span");
    box.className = "suggest-box";
    input.parentNode.insertBefore(box, input);
    box.appendChild(input);
    var list = document.createElement("ul");
    list.id = id;
    list.className = "suggest-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.dataset.searchSuggestLabel || "");
    list.hidden = true;
    box.appendChild(list);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    input.setAttribute("autocomplete", "off");

    var results = [];
    var active = -1;
    var latest = 0;
    var timer;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (option, n) {
        option.setAttribute("aria-selected", n === index ? "true" : "false");
      });
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
      } else {
        input.setAttribute("aria-activedescendant", list.children[index].id);
        list.children[index].scrollIntoView({ block: "nearest" });
      }
    }

    function open(index) {
      var chosen = results[index];
      if (!chosen) return;
      close();
      window.location.assign(chosen.url);
    }

    function show(found) {
      results = found;
      list.replaceChildren.apply(list, found.map(function (result, n) {
        var option = document.createElement("li");
        option.id = id + "-" + n;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.url = result.url;
        var title = document.createElement("span");
        title.className = "suggest-title";
        title.textContent = result.title;
        var kind = document.createElement("span");
        kind.className = "suggest-kind";
        kind.textContent = result.kind_label;
        option.append(title, kind);
        return option;
      }));
      active = -1;
      input.removeAttribute("aria-activedescendant");
      list.hidden = found.length === 0;
      input.setAttribute("aria-expanded", found.length ? "true" : "false");
    }

    function lookup() {
      var text = input.value.trim();
      var request = ++latest;
      // One Latin letter matches too much to help; one Chinese character is a word.
      if (!text || (text.length < 2 && /^[\x00-\x7f]$/.test(text))) { show([]); return; }
      var query = "?q=" + encodeURIComponent(text);
      fetch(url + query, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (request === latest && data) show(data.results || []); })
        .catch(function () { /* suggestions are a nicety: keep what is shown */ });
    }

    function later() {
      clearTimeout(timer);
      timer = setTimeout(lookup, DELAY_MS);
    }
    // While an input method composes (pinyin becoming 提现), the text is not typed yet.
    input.addEventListener("input", function (event) { if (!event.isComposing) later(); });
    input.addEventListener("compositionend", later);
    input.addEventListener("keydown", function (event) {
      if (event.isComposing) return;  // Enter and arrows belong to the input method then
      var count = results.length;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!count) return;
        event.preventDefault();
        if (list.hidden) {
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
        }
        // The choice cycles through the suggestions and back to the text typed (-1).
        var next = active + (event.key === "ArrowDown" ? 1 : -1);
        if (next >= count) next = -1;
        else if (next < -1) next = count - 1;
        highlight(next);
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        open(active);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", close);
    // mousedown would blur the input (closing the list) before the click lands.
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) open(Array.prototype.indexOf.call(list.children, option));
    });
  }

  document.querySelectorAll("[data-search-suggest]").forEach(setUp);
})();
