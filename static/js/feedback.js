// Feedback board enhancements. Every form here works without this file:
// - vote buttons toggle in place instead of reloading the page;
// - while a new idea's title is typed, similar existing ideas are listed under it;
// - the board's filter selects apply as soon as they change.
(function () {
  "use strict";

  function showVote(itemId, data) {
    document.querySelectorAll('form[data-vote="' + itemId + '"] button').forEach(function (button) {
      button.setAttribute("aria-pressed", data.voted ? "true" : "false");
      button.title = data.voted ? button.dataset.titleVoted : button.dataset.titleUnvoted;
    });
    document.querySelectorAll('[data-vote-count="' + itemId + '"]').forEach(function (count) {
      count.textContent = data.votes;
    });
  }

  function setUpSimilarIdeas(form) {
    var input = form.querySelector('input[name="title"]');
    var sectionTemplate = document.getElementById("similar-template");
    var itemTemplate = document.getElementById("similar-item-template");
    if (!input || !sectionTemplate || !itemTemplate || !window.fetch) return;
    var section = sectionTemplate.content.firstElementChild.cloneNode(true);
    var list = section.querySelector("ul");
    section.hidden = true;
    input.closest(".field").after(section);

    function render(items) {
      list.replaceChildren.apply(list, items.map(function (item) {
        var row = itemTemplate.content.firstElementChild.cloneNode(true);
        var link = row.querySelector("[data-similar-link]");
        link.href = item.url;
        link.textContent = item.title;
        row.querySelector("[data-similar-votes]").textContent = item.votes;
        var status = row.querySelector("[data-similar-status]");
        status.textContent = item.status_label;
        status.classList.add("status-" + item.status);
        return row;
      }));
      section.hidden = items.length === 0;
    }

    window.OKX.lookupWhileTyping(input, form.dataset.similarUrl, function (items) {
      render(items || []);
    });
  }

  function setUpAutosubmit(form) {
    form.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("change", function () { form.requestSubmit(); });
    });
  }

  window.OKX.postInPlace("form[data-vote]", function (form, data) {
    showVote(form.dataset.vote, data);
  });
  document.querySelectorAll("form[data-similar-url]").forEach(setUpSimilarIdeas);
  document.querySelectorAll("form[data-autosubmit]").forEach(setUpAutosubmit);
})();
