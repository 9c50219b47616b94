// Support portal enhancements. Every form here works without this file:
// - while a new ticket's subject is typed, help that may already answer it is listed;
// - files dropped on a message box become attachments (never public editor uploads);
// - the ticket page asks for new messages every few seconds (2 s in a live chat) and shows
//   them, with the status and timeline, without a reload; polling pauses in hidden tabs;
// - replies are sent without a reload, and Enter sends in a live chat.
(function () {
  "use strict";

  function fromTemplate(id) {
    var template = document.getElementById(id);
    return template ? template.content.firstElementChild.cloneNode(true) : null;
  }

  // --- Help suggestions while the subject is typed ------------------------------------------

  function setUpSuggestions(form) {
    var input = form.querySelector('input[name="subject"]');
    var section = fromTemplate("suggest-template");
    if (!input || !section || !window.fetch) return;
    var list = section.querySelector("ul");
    section.hidden = true;
    input.closest(".field").after(section);

    function render(results) {
      list.replaceChildren.apply(list, results.map(function (result) {
        var row = fromTemplate("suggest-item-template");
        var link = row.querySelector("[data-suggest-link]");
        link.href = result.url;
        link.textContent = result.title;
        link.target = "_blank";
        link.rel = "noopener";
        row.querySelector("[data-suggest-kind]").textContent = result.kind;
        return row;
      }));
      section.hidden = results.length === 0;
    }

    window.OKX.lookupWhileTyping(input, form.dataset.suggestUrl, function (data) {
      render((data && data.results) || []);
    });
  }

  // --- Dropped files are attachments ----------------------------------------------------------

  function setUpDrops(form) {
    var fileInput = form.querySelector('input[type="file"]');
    if (!fileInput || !window.DataTransfer) return;
    function hasFiles(event) {
      return event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0;
    }
    // Capture phase, before the Markdown editor's own handler would upload the file to the
    // public media folder: support files stay private to the ticket.
    form.addEventListener("dragover", function (event) {
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.stopPropagation();
      fileInput.classList.add("dropping");
    }, true);
    form.addEventListener("dragleave", function () { fileInput.classList.remove("dropping"); }, true);
    form.addEventListener("drop", function (event) {
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.stopPropagation();
      fileInput.classList.remove("dropping");
      var files = new DataTransfer();
      Array.prototype.forEach.call(fileInput.files, function (file) { files.items.add(file); });
      Array.prototype.forEach.call(event.dataTransfer.files, function (file) { files.items.add(file); });
      fileInput.files = files.files;
    }, true);
  }

  // --- Confirmations --------------------------------------------------------------------------

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });

  // --- The live ticket page -------------------------------------------------------------------

  function setUpLiveTicket(root) {
    var list = root.querySelector("[data-messages]");
    var form = root.querySelector("form[data-reply-form]");
    var interval = parseInt(root.dataset.pollMs, 10) || 0;
    var lastId = parseInt(root.dataset.lastId, 10) || 0;
    var isChat = root.classList.contains("conversation-chat");
    var inFlight = false, again = false, timer = null, stopped = false;
    root.classList.add("js-live");
    scrollToEnd(true);

    function nearEnd() {
      return list.scrollHeight - list.scrollTop - list.clientHeight < 120;
    }

    function scrollToEnd(force) {
      if (isChat && (force || nearEnd())) list.scrollTop = list.scrollHeight;
    }

    function append(html) {
      var holder = document.createElement("template");
      holder.innerHTML = html;
      var follow = nearEnd();
      Array.prototype.forEach.call(holder.content.querySelectorAll("[data-message-id]"), function (message) {
        if (document.getElementById(message.id)) return;  // already shown
        message.classList.add("is-new");
        list.appendChild(message);
      });
      var empty = root.querySelector("[data-no-messages]");
      if (empty) empty.remove();
      scrollToEnd(follow);
    }

    function showStatus(data) {
      document.querySelectorAll("[data-status-pill]").forEach(function (pill) {
        pill.className = pill.className.replace(/ticket-status-\S+/, "ticket-status-" + data.status);
        pill.textContent = data.status_label;
      });
      var timeline = document.querySelector("[data-timeline]");
      if (timeline && data.timeline_html) timeline.innerHTML = data.timeline_html;
      var escalated = document.querySelector("[data-escalated-notice]");
      if (escalated && data.escalated) escalated.hidden = false;
      var agentAwaited = root.querySelector("[data-chat-waiting]");
      if (agentAwaited && (data.escalated || list.querySelector(".msg-staff"))) agentAwaited.hidden = true;
      var flipped = (data.is_open ? "true" : "false") !== root.dataset.open;
      var onCustomer = (data.status === "waiting") !== (root.dataset.status === "waiting");
      if (flipped || onCustomer) {
        // Resolved, reopened, or waiting on the customer: the page's buttons (close, reopen,
        // rating) and notices change with it.
        var draft = form && form.querySelector("textarea") && form.querySelector("textarea").value.trim();
        if (draft) {
          root.querySelector("[data-status-changed]").hidden = false;
        } else {
          window.location.reload();
        }
        stop();
      }
      root.dataset.status = data.status;
    }

    function poll() {
      if (stopped) return;
      if (inFlight) { again = true; return; }
      inFlight = true;
      clearTimeout(timer);
      fetch(root.dataset.updatesUrl + "?after=" + lastId, {
        headers: { "Accept": "application/json", "X-Requested-With": "XMLHttpRequest" },
        credentials: "same-origin",
      }).then(function (response) {
        var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (!response.ok || response.redirected || !isJson) throw new Error("stop");
        return response.json();
      }).then(function (data) {
        if (data.html) append(data.html);
        lastId = Math.max(lastId, data.last_id || 0);
        showStatus(data);
        inFlight = false;
        schedule(again ? 0 : interval);
        again = false;
      }).catch(function (error) {
        inFlight = false;
        // Signed out or the ticket is gone: stop; a network hiccup: try again a bit later.
        if (error.message === "stop") stop(); else schedule(interval * 3);
      });
    }

    function schedule(wait) {
      clearTimeout(timer);
      if (!stopped && interval && !document.hidden) timer = setTimeout(poll, wait);
    }

    function stop() {
      stopped = true;
      clearTimeout(timer);
    }

    if (interval) {
      document.addEventListener("visibilitychange", function () {
        if (document.hidden) clearTimeout(timer); else schedule(0);
      });
      schedule(interval);
    }

    if (form && window.fetch && window.FormData) setUpReply(form, function () {
      if (interval && !stopped) poll(); else window.location.reload();
    });
  }

  function setUpReply(form, sent) {
    var errors = form.querySelector("[data-reply-errors]");
    var button = form.querySelector('button[type="submit"]');
    var textarea = form.querySelector("textarea");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (button.disabled) return;
      button.disabled = true;
      errors.hidden = true;
      window.OKX.postForm(form).then(function (result) {
        button.disabled = false;
        if (result.status === 200) {
          form.reset();
          form.querySelectorAll(".field-invalid").forEach(function (field) { field.classList.remove("field-invalid"); });
          form.querySelectorAll("p.error").forEach(function (error) { error.remove(); });
          sent();
          if (textarea) textarea.focus();
          return;
        }
        if (!result.data.errors) throw new Error("unexpected answer");
        errors.textContent = result.data.errors.join(" ");
        errors.hidden = false;
      }).catch(function () {
        form.submit();  // let the server say what went wrong, in the user's language
      });
    });
    if (form.classList.contains("chat-input") && textarea) {
      textarea.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          form.requestSubmit();
        }
      });
    }
  }

  document.querySelectorAll("form[data-suggest-url]").forEach(setUpSuggestions);
  document.querySelectorAll("form[data-attachments-form]").forEach(setUpDrops);
  document.querySelectorAll("[data-ticket-live]").forEach(setUpLiveTicket);
})();
