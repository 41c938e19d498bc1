// The grading view: one question at a time (an actor's rationale, or a reflection question), every student's
// answer side by side, the rubric's levels as keys. Keyboard first: no key pressed here reaches JupyterLab.
//
//   ↑ ↓ (or k j)   previous / next answer        ← → (or p n)   previous / next question
//   0-9            give that level (then go on)   Backspace      clear the mark
//   ?              show or hide the keys
//
// Every mark goes to Python at once ({type: "mark"}), which saves it and sends the new state back; nothing is
// kept only here.

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "className") node.className = value;
    else if (name === "text") node.textContent = value; // text, never HTML: answers are students' words
    else node.setAttribute(name, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function render({ model, el }) {
  const root = element("div", {
    className: "ak-grading",
    "data-annotkit": "grading",
    "data-lm-suppress-shortcuts": "true",
    tabindex: "0",
    role: "application",
    "aria-label": "Grading: arrow keys move, number keys give a level",
  });
  let answer = 0;
  let help = false;

  const status = element("div", { className: "ak-grading-status", "data-annotkit": "status", "aria-live": "polite" });
  const header = element("div", { className: "ak-grading-header" });
  const levels = element("div", { className: "ak-grading-levels", "data-annotkit": "levels" });
  const answers = element("ol", { className: "ak-grading-answers", "data-annotkit": "answers" });
  const keys = element("div", { className: "ak-grading-keys", hidden: "" });
  keys.textContent =
    "↑ ↓ or k j: answer · ← → or p n: question · 0-9: give a level · Backspace: clear · ?: these keys";
  root.append(header, levels, answers, status, keys);
  el.append(root);

  const questions = () => model.get("questions") || [];
  const current = () => questions()[model.get("question")] || null;
  const criterion = (id) => (model.get("criteria") || []).find((c) => c.id === id) || { levels: [] };

  function move(question, nextAnswer) {
    const count = questions().length;
    if (!count) return;
    const q = Math.max(0, Math.min(count - 1, question));
    if (q !== model.get("question")) {
      model.set("question", q);
      model.save_changes();
      answer = 0;
    } else {
      const n = (current() || { answers: [] }).answers.length;
      answer = Math.max(0, Math.min(n - 1, nextAnswer));
    }
    draw();
  }

  function mark(points) {
    const q = current();
    if (!q || !q.answers.length) return;
    model.send({ type: "mark", question: model.get("question"), answer, points });
    if (points !== null && answer < q.answers.length - 1) answer += 1; // on to the next student
    draw();
  }

  function draw() {
    const q = current();
    header.replaceChildren();
    levels.replaceChildren();
    answers.replaceChildren();
    if (!q) {
      header.append(element("p", { text: "Nothing to grade yet: no rationales or reflections handed in." }));
      return;
    }
    const count = questions().length;
    const done = q.answers.filter((a) => a.points !== null).length;
    const previous = element("button", { type: "button", "data-annotkit": "previous", text: "← previous" });
    const next = element("button", { type: "button", "data-annotkit": "next", text: "next →" });
    previous.addEventListener("click", () => move(model.get("question") - 1, 0));
    next.addEventListener("click", () => move(model.get("question") + 1, 0));
    header.append(
      previous,
      element("span", { className: "ak-grading-where", text: `${model.get("question") + 1} of ${count}` }),
      next,
      element("h3", { "data-annotkit": "prompt", text: `${q.title}: ${q.prompt}` }),
      element("span", { className: "ak-grading-done", text: `${done} of ${q.answers.length} marked` }),
    );
    for (const level of criterion(q.criterion).levels) {
      const button = element("button", {
        type: "button",
        "data-points": String(level.points),
        title: level.description,
        text: `${level.points} ${level.label}`,
      });
      button.addEventListener("click", () => mark(level.points));
      levels.append(button);
    }
    q.answers.forEach((a, index) => {
      const item = element(
        "li",
        {
          className: "ak-grading-answer" + (index === answer ? " ak-current" : ""),
          "data-annotkit": "answer",
          "data-points": a.points === null ? "" : String(a.points),
          "aria-current": index === answer ? "true" : "false",
        },
        element("div", { className: "ak-grading-who", text: a.who }),
        element("div", { className: a.answer ? "ak-grading-text" : "ak-grading-text ak-empty", text: a.answer || "(no answer)" }),
        a.details ? element("div", { className: "ak-grading-details", text: a.details }) : null,
        element("div", { className: "ak-grading-mark", text: a.points === null ? "not marked" : `${a.points} ${a.label}` }),
      );
      item.addEventListener("click", () => {
        answer = index;
        draw();
        root.focus();
      });
      answers.append(item);
    });
    const focused = answers.children[answer];
    if (focused && focused.scrollIntoView) focused.scrollIntoView({ block: "nearest" });
  }

  root.addEventListener("keydown", (event) => {
    event.stopPropagation(); // JupyterLab never sees a key pressed here
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const q = model.get("question");
    const keysToActions = {
      ArrowDown: () => move(q, answer + 1),
      j: () => move(q, answer + 1),
      ArrowUp: () => move(q, answer - 1),
      k: () => move(q, answer - 1),
      ArrowRight: () => move(q + 1, 0),
      n: () => move(q + 1, 0),
      ArrowLeft: () => move(q - 1, 0),
      p: () => move(q - 1, 0),
      Backspace: () => mark(null),
      Delete: () => mark(null),
      "?": () => {
        help = !help;
        keys.hidden = !help;
      },
    };
    let action = keysToActions[event.key];
    if (!action && /^[0-9]$/.test(event.key)) {
      const points = Number(event.key);
      const known = criterion((current() || {}).criterion).levels.some((l) => l.points === points);
      if (known) action = () => mark(points);
    }
    if (action) {
      event.preventDefault();
      action();
    }
  });

  const redraw = () => {
    status.textContent = model.get("status") || "";
    draw();
  };
  model.on("change:questions", redraw);
  model.on("change:question", redraw);
  model.on("change:status", () => (status.textContent = model.get("status") || ""));
  redraw();
  return () => root.remove();
}

export default { render };
