// Surveys: show a conditional question only while the answer above it meets its condition,
// and keep the progress count live. Without this script every question shows, with a note
// saying when it applies, and the server ignores the answers to those that do not.
(function () {
  "use strict";
  const form = document.querySelector("[data-survey-form]");
  if (!form) return;
  const questions = Array.from(form.querySelectorAll("[data-question]"));
  const known = new Set(questions.map((question) => question.dataset.question));
  const progress = document.querySelector("[data-survey-progress]");

  function valuesOf(question) {
    return Array.from(question.querySelectorAll("input:checked, input[type=text], textarea"))
      .map((input) => input.value.trim())
      .filter((value) => value !== "");
  }

  function applies(question, shownValues) {
    const about = question.dataset.showIf;
    if (!about || !known.has(about)) return true;
    const values = shownValues.get(about);
    if (!values || !values.length) return false;
    if (question.dataset.showIfChoice) return values.includes(question.dataset.showIfChoice);
    const score = Number(values[0]);
    const min = question.dataset.showIfMin;
    const max = question.dataset.showIfMax;
    return (min === undefined || score >= Number(min)) && (max === undefined || score <= Number(max));
  }

  function update() {
    const shownValues = new Map();
    let answered = 0;
    let total = 0;
    for (const question of questions) {
      const show = applies(question, shownValues);
      question.hidden = !show;
      if (!show) continue;
      const values = valuesOf(question);
      shownValues.set(question.dataset.question, values);
      total += 1;
      if (values.length) answered += 1;
    }
    if (progress) {
      progress.querySelector("[data-answered]").textContent = answered;
      progress.querySelector("[data-total]").textContent = total;
      const bar = progress.querySelector("progress");
      bar.max = total;
      bar.value = answered;
    }
  }

  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
})();
