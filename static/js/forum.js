// Forum enhancements. Without JavaScript the "Quote" link reloads the page with the whole
// post quoted in the reply box; with it, the selected text of that post (or the whole post
// when nothing is selected there) is quoted in place.
(function () {
  "use strict";
  var reply = document.querySelector("#reply textarea");
  if (!reply) return;

  function blockquote(text) {
    return text.trim().split("\n").map(function (line) { return line ? "> " + line : ">"; }).join("\n");
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-quote]");
    if (!link) return;
    var post = link.closest(".forum-post");
    var selection = window.getSelection();
    var body = post && post.querySelector(".forum-post-body");
    if (!body || !selection || selection.isCollapsed || !body.contains(selection.anchorNode)) {
      return; // follow the link: the server quotes the whole post
    }
    event.preventDefault();
    // The same translated "<name> wrote:" line as the server's whole-post quote.
    var heading = link.dataset.heading || "";
    var quote = (heading ? heading + "\n" : "") + blockquote(selection.toString()) + "\n\n";
    reply.value = (reply.value ? reply.value.replace(/\s*$/, "\n\n") : "") + quote;
    reply.form.elements.reply_to.value = link.dataset.quote;  // its author is told
    reply.dispatchEvent(new Event("input", { bubbles: true }));  // refresh markdownx preview
    reply.focus();
    reply.scrollIntoView({ block: "center" });
  });
})();
