// annotkit's perspective board: the actors on one side, the chosen actor's perspective on the other.
//
// The list is one Tab stop: arrows move through the actors (the form follows), Enter goes into the form and
// Escape comes back to the actor. Each change is sent as {event: "edit", entity, changes}; choices wait a moment
// so arrowing through them saves only the one the student stops on.

const EVIDENCE_WAIT = 500;

// --- the claims that show an actor's stance: a list with checkboxes, one Tab stop -----------------------------
class ClaimPicker {
  constructor({ title, help, onChange }) {
    this.onChange = onChange;
    this.chosen = new Set();
    this.claims = [];
    this.entity = "";
    const labelId = uniqueId("ak-label");
    this.summary = element("span", { className: "ak-picker-summary" });
    this.roving = new RovingList({
      label: title,
      attributes: { className: "ak-list ak-claims", "aria-multiselectable": "true", "data-annotkit-field": "evidence" },
      onActivate: (id) => this.toggle(id),
    });
    this.list = this.roving.list;
    this.list.setAttribute("aria-labelledby", labelId);
    const box = element("div", { className: "ak-picker" });
    box.append(this.summary, this.list);
    this.el = fieldShell(title, box, { help, labelId });
  }

  set(ids) {
    this.chosen = new Set(ids || []);
    this.draw();
  }

  show(claims, entity) {
    this.claims = claims;
    this.entity = entity;
    this.draw();
  }

  draw() {
    // The actor's own claims first: the evidence for a stance is most often in what they say.
    const own = this.claims.filter((c) => c.said_by === this.entity);
    const others = this.claims.filter((c) => c.said_by !== this.entity);
    const items = [...own, ...others].map((claim) => {
      const on = this.chosen.has(claim.id);
      const item = element("li", { role: "option", "data-id": claim.id, "aria-selected": String(on) });
      item.append(
        element("span", { className: "ak-check", "aria-hidden": "true" }, on ? "☑" : "☐"),
        element("span", { className: "ak-claim-text" }, `“${claim.text}”`),
        element("span", { className: "ak-item-detail" }, claim.said_by ? `said by ${claim.said_by}` : ""),
      );
      item.addEventListener("click", () => {
        this.roving.focusItem(claim.id);
        this.toggle(claim.id);
      });
      return item;
    });
    if (!items.length) {
      items.push(element("li", { className: "ak-empty" }, "No claims tagged yet (notebook 03)."));
    }
    this.roving.render(items);
    const n = this.chosen.size;
    this.summary.textContent = n ? `${n} claim${n === 1 ? "" : "s"} chosen` : "none chosen";
  }

  toggle(id) {
    if (!id) return;
    if (this.chosen.has(id)) this.chosen.delete(id);
    else this.chosen.add(id);
    this.draw();
    this.roving.focusItem(id);
    this.onChange([...this.chosen]);
  }

  focus() {
    this.roving.focusItem(this.roving.current || this.roving.items()[0]?.dataset.id || "");
  }

  contains(node) {
    return this.el.contains(node);
  }
}

class BoardView {
  constructor(model, el) {
    this.model = model;
    this.book = bookOf(model);
    this.entity = ""; // the actor the form shows
    this.pending = new PendingChanges((changes) => this.model.send({ event: "edit", entity: this.entity, changes }));
    this.controls = new Map();
    const root = element("div", { className: "ak-root ak-board", "data-annotkit": "board" });
    guardKeys(root);
    const question = element("p", { className: "ak-question" });
    question.append(element("strong", {}, "Central question: "), document.createTextNode(model.get("question")));
    this.heading = element("div", { className: "ak-list-heading", id: uniqueId("ak-actors") });
    this.actors = new RovingList({
      label: "Your actors",
      onActivate: () => this.focusForm(),
    });
    this.actors.list.setAttribute("data-annotkit", "actor-list");
    this.actors.list.setAttribute("aria-labelledby", this.heading.id);
    this.actors.list.addEventListener("keydown", (event) => {
      if (event.key === "Escape") leaveTool(this.root); // from the list: back to the notebook
    });
    this.actors.list.addEventListener("focusin", (event) => {
      const item = event.target.closest("li[data-id]");
      if (item && item.dataset.id !== this.entity) this.choose(item.dataset.id);
    });
    const side = element("section", { className: "ak-actors" });
    side.append(this.heading, this.actors.list);
    this.form = element("section", { className: "ak-form ak-editing", "data-annotkit": "form" });
    this.title = element("div", { className: "ak-form-head", "data-annotkit": "form-title" });
    this.body = element("div", { className: "ak-form-body" });
    this.form.append(this.title, this.body, element("p", { className: "ak-form-hint" }, "Saved as you go. Esc: back to the list."));
    this.form.addEventListener("keydown", (event) => this.onFormKey(event));
    this.form.addEventListener("focusout", (event) => {
      if (!this.form.contains(event.relatedTarget)) this.flush();
    });
    root.addEventListener("keydown", (event) => {
      const target = event.target;
      const typing = target.tagName === "TEXTAREA" || target.tagName === "INPUT";
      if (!typing && (event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "z") {
        event.preventDefault();
        this.send({ event: "undo" });
      }
    });
    const main = element("div", { className: "ak-board-main" });
    main.append(side, this.form);
    this.status = statusLine();
    const help = element("details", { className: "ak-help" });
    const keys = element("dl", { className: "ak-keys" });
    for (const [k, what] of [
      ["↑ ↓", "choose an actor in the list"],
      ["Enter", "fill in the chosen actor's perspective"],
      ["Tab", "next field; arrows choose in a row of choices, Space ticks a claim"],
      ["Esc", "back to the list; from the list, back to the notebook"],
      ["Ctrl+Z", "undo your last change on this board"],
    ]) {
      keys.append(element("dt", {}, k), element("dd", {}, what));
    }
    help.append(element("summary", {}, "Keys"), keys);
    root.append(question, main, this.status, help);
    el.replaceChildren(root);
    this.root = root;
    this.build(model.get("fields") || []);
    this.onBook = () => this.render();
    this.book.listeners.add(this.onBook);
    this.lastSync = performance.now();
    root.addEventListener("focusin", (event) => {
      if (root.contains(event.relatedTarget) || performance.now() - this.lastSync < 2000) return;
      this.lastSync = performance.now();
      this.send({ event: "sync" });
    });
    this.render();
    showStatus(this.status, model.get("status"));
    this.send({ event: "hello", version: this.book.version });
  }

  destroy() {
    this.book.listeners.delete(this.onBook);
  }

  build(fields) {
    this.controls.clear();
    const nodes = [];
    for (const field of fields) {
      let control;
      if (field.kind === "choice") {
        control = new ChoiceGroup({
          title: field.title,
          name: field.name,
          help: field.help,
          choices: field.choices,
          onChange: (value) => this.change(field.name, value, CHOICE_WAIT),
        });
      } else if (field.kind === "claims") {
        control = new ClaimPicker({
          title: field.title,
          help: field.help,
          onChange: (ids) => this.change(field.name, ids, EVIDENCE_WAIT),
        });
      } else {
        control = new TextBox({
          title: field.title,
          name: field.name,
          help: field.help,
          placeholder: field.placeholder || "",
          rows: field.name === "note" ? 2 : 3,
          onCommit: (value) => this.change(field.name, value, 0),
        });
      }
      control.field = field;
      this.controls.set(field.name, control);
      nodes.push(control.el);
    }
    this.body.replaceChildren(...nodes);
  }

  send(message) {
    if (message.event !== "edit") this.flush();
    this.model.send(message);
  }

  change(name, value, wait) {
    if (this.entity) this.pending.add(name, value, wait);
  }

  flush() {
    for (const control of this.controls.values()) if (control instanceof TextBox) control.flush();
    this.pending.flush();
  }

  render() {
    const rows = this.book.list();
    this.heading.textContent = rows.length ? `Your actors (${rows.length})` : "No actors yet";
    if (!rows.length) {
      this.actors.render([]);
      this.form.hidden = true;
      this.actors.list.replaceChildren(
        element("li", { className: "ak-empty" }, "Tag actors first (notebook 02): they appear here as soon as you come back."),
      );
      return;
    }
    this.form.hidden = false;
    if (!this.entity || !this.book.items.has(this.entity)) this.entity = rows[0].entity;
    const labels = this.choiceNames();
    const items = rows.map((row) => {
      const item = element("li", {
        role: "option",
        "data-id": row.entity,
        "aria-selected": String(row.entity === this.entity),
      });
      const text = element("span", { className: "ak-item-text" });
      text.append(element("span", { className: "ak-actor-name" }, row.entity));
      if (row.mentions) text.append(element("span", { className: "ak-item-detail" }, `${row.mentions}×`));
      const facts = element("span", { className: "ak-facts" });
      for (const name of ["stance", "frame"]) {
        const value = row.values[name];
        if (value) facts.append(element("span", { className: `ak-fact ak-${name}` }, labels[name]?.[value] ?? value));
      }
      if (!row.values.stance) facts.append(element("span", { className: "ak-fact ak-todo" }, "no stance yet"));
      text.append(facts);
      item.append(text);
      item.addEventListener("click", () => this.choose(row.entity));
      return item;
    });
    this.actors.current = this.entity;
    this.actors.render(items);
    this.showForm();
  }

  choiceNames() {
    const names = {};
    for (const control of this.controls.values()) {
      if (control.field.kind === "choice") {
        names[control.field.name] = Object.fromEntries(control.field.choices.map((c) => [c.id, c.name]));
      }
    }
    return names;
  }

  choose(entity) {
    if (entity === this.entity) return;
    this.flush();
    this.entity = entity;
    for (const item of this.actors.items()) item.setAttribute("aria-selected", String(item.dataset.id === entity));
    this.showForm({ moved: true });
  }

  showForm({ moved = false } = {}) {
    const row = this.book.items.get(this.entity);
    if (!row) return;
    this.title.replaceChildren(
      element("span", { className: "ak-form-mode" }, row.entity),
      element("span", { className: "ak-form-words" }, row.mentions ? `tagged ${row.mentions}×` : "not tagged now"),
    );
    for (const [name, control] of this.controls) {
      if (!moved && this.pending.has(name)) continue;
      if (control instanceof ClaimPicker) {
        control.show(this.book.extra.claims || [], row.entity);
        control.set(row.values[name] || []);
      } else {
        control.set(name === "note" ? row.note : row.values[name] ?? "");
      }
    }
  }

  focusForm() {
    [...this.controls.values()][0]?.focus();
  }

  onFormKey(event) {
    if (event.key === "Escape") {
      event.preventDefault();
      this.flush();
      this.actors.focusItem(this.entity);
    } else if (event.key === "Enter" && event.target.getAttribute("role") === "radio") {
      event.preventDefault();
      this.flush();
      const controls = [...this.controls.values()];
      const at = controls.findIndex((c) => c.contains(event.target));
      controls[at + 1]?.focus();
    }
  }
}

export default {
  initialize({ model }) {
    bookOf(model);
  },
  render({ model, el }) {
    const view = new BoardView(model, el);
    const onStatus = () => showStatus(view.status, model.get("status"));
    const onFields = () => {
      view.build(model.get("fields") || []);
      view.render();
    };
    model.on("change:status", onStatus);
    model.on("change:fields", onFields);
    const unwatch = watchKernel(model, el, "the perspective board");
    return () => {
      unwatch();
      model.off("change:status", onStatus);
      model.off("change:fields", onFields);
      view.destroy();
    };
  },
};
