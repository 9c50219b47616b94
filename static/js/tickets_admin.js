// The staff's ticket admin, enhanced: everything works without this file.
// - the list's "Live chats waiting" box refreshes itself;
// - on a ticket, choosing a canned response puts its text (filled in for the ticket) into the
//   reply, the send button says whether it sends a reply or an internal note, and new
//   messages appear without reloading.
(function () {
  "use strict";

  var REFRESH_MS = 3000;

  function getJSON(url) {
    return fetch(url, {
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Requested-With": "XMLHttpRequest" },
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.error || response.statusText);
        return data;
      });
    });
  }

  // Ask every few seconds while the tab is visible; a failed request just waits for the next.
  function every(ms, task) {
    var busy = false;
    window.setInterval(function () {
      if (busy || document.visibilityState !== "visible") return;
      busy = true;
      task().catch(function () {}).then(function () { busy = false; });
    }, ms);
  }

  function waitingChats() {
    var box = document.querySelector(".tk-chats[data-url]");
    if (!box) return;
    var list = box.querySelector(".tk-chats-list");
    var count = box.querySelector(".tk-chats-count");
    every(REFRESH_MS, function () {
      return getJSON(box.dataset.url).then(function (data) {
        list.innerHTML = data.html;
        count.textContent = data.count;
      });
    });
  }

  function insertAtCursor(textarea, text) {
    var start = textarea.selectionStart || 0;
    var end = textarea.selectionEnd || 0;
    var before = textarea.value.slice(0, start);
    var after = textarea.value.slice(end);
    var glue = before && !/\n$/.test(before) ? "\n\n" : "";
    textarea.value = before + glue + text + after;
    var caret = (before + glue + text).length;
    textarea.focus();
    textarea.setSelectionRange(caret, caret);
  }

  function replyBox() {
    var box = document.querySelector(".tk-reply[data-canned-url]");
    if (!box) return;
    var select = box.querySelector("select[name=canned]");
    var textarea = box.querySelector("textarea[name=reply]");
    var internal = box.querySelector("input[name=internal]");
    var send = box.querySelector(".tk-send");
    var sendLabel = send.textContent;

    select.addEventListener("change", function () {
      if (!select.value) return;
      var url = box.dataset.cannedUrl + "?canned=" + encodeURIComponent(select.value);
      getJSON(url).then(function (data) {
        insertAtCursor(textarea, data.text);
        // The text is in the reply now: the server must not add it a second time.
        select.value = "";
      }).catch(function () {
        // Leave the choice: saving with an empty reply sends the response anyway.
      });
    });

    function showMode() {
      box.classList.toggle("tk-reply-internal", internal.checked);
      send.textContent = internal.checked ? send.dataset.labelInternal : sendLabel;
    }
    internal.addEventListener("change", showMode);
    showMode();
  }

  function newMessages() {
    var list = document.querySelector(".tk-messages[data-url]");
    if (!list) return;
    every(REFRESH_MS, function () {
      var shown = list.querySelectorAll("li[data-id]");
      var after = shown.length ? shown[shown.length - 1].dataset.id : "0";
      return getJSON(list.dataset.url + "?after=" + encodeURIComponent(after)).then(
        function (data) {
          if (!data.html.trim()) return;
          var empty = list.querySelector("li:not([data-id])");
          if (empty) empty.remove();
          list.insertAdjacentHTML("beforeend", data.html);
        });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    waitingChats();
    replyBox();
    newMessages();
  });
})();
