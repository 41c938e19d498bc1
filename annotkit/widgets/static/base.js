// annotkit's own form controls, shared by every widget (this file is put in front of each widget's script).
//
// Why our own controls: ipywidgets' Dropdown, Combobox, Textarea and Button let key presses through to
// JupyterLab and Notebook 7, whose notebook shortcuts then act on the cells ("D D" in a dropdown deleted the
// cell). Every annotkit widget calls guardKeys() on its root, and every control here lives inside that root.
// Text from Python (article text, names, notes) is only ever set with textContent, never as HTML.

function element(tag, attributes = {}, text = null) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "className") node.className = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  if (text !== null) node.textContent = text; // text, never HTML
  return node;
}

let uniqueCounter = 0;
function uniqueId(prefix) {
  uniqueCounter += 1;
  return `${prefix}-${uniqueCounter}-${Math.random().toString(36).slice(2, 7)}`;
}

// Keep every key typed in the widget away from the notebook. Lumino (JupyterLab, Notebook 7) reads shortcuts
// from document-level keydown listeners: JupyterLab's listen in the bubbling phase, which stopPropagation on the
// root ends; Notebook 7's in the capture phase, before the event reaches us. There the only way is Lumino's
// data-lm-suppress-shortcuts, and it must be on the key event's target itself: the notebook's selectors end in
// ":focus" ("D D" is ".jp-Notebook.jp-mod-commandMode :focus"), which the focused element matches before Lumino
// would look at its ancestors. So every element of ours gets the attribute as it receives focus.
function guardKeys(root) {
  root.setAttribute("data-lm-suppress-shortcuts", "true");
  root.addEventListener("focusin", (event) => event.target.setAttribute?.("data-lm-suppress-shortcuts", "true"));
  for (const type of ["keydown", "keyup", "keypress"]) {
    root.addEventListener(type, (event) => event.stopPropagation());
  }
}

// After "Restart Kernel" (without a page reload) a tool's view stays on the page, looking alive while the new
// kernel knows nothing of it and drops what it sends. So when its kernel restarts or dies (or its model is closed),
// say so across its top, in the words of the reload note, and make the rest inert: a student sees at once what to
// do, and what they typed stays visible to copy. Returns the clean-up.
const KERNEL_GONE = new Set(["restarting", "autorestarting", "dead"]);
function watchKernel(model, el, what) {
  let note = null;
  const gone = () => {
    if (note) return;
    note = element("div", { className: "ak-root ak-gone", role: "alert", "data-annotkit": "kernel-gone" });
    note.append(
      element("strong", {}, "The kernel stopped or restarted."),
      document.createTextNode(` Run the notebook from the top to show ${what} again — your work is saved. `),
      element("small", {}, "(In the menu: Run ▸ Run All Cells.)"),
    );
    for (const child of el.children) child.inert = true;
    el.prepend(note);
  };
  const onStatus = (_kernel, status) => {
    if (KERNEL_GONE.has(status)) gone();
  };
  // JupyterLab's, Notebook 7's and Voilà's widget managers hold the kernel connection (a Lumino signal for status).
  const kernel = model.widget_manager?.kernel;
  kernel?.statusChanged?.connect(onStatus);
  model.on("destroy", gone);
  return () => {
    kernel?.statusChanged?.disconnect(onStatus);
    model.off("destroy", gone);
  };
}

// The keyboard's way out of a tool: give the focus back to the notebook, which is then in command mode on this
// tool's cell (Shift+Enter runs it and moves on; the arrows move between cells). Outside a notebook (Voilà): blur.
function leaveTool(node) {
  const notebook = node.closest(".jp-Notebook");
  if (notebook) notebook.focus();
  else document.activeElement?.blur?.();
}

function afterPaint(callback) {
  requestAnimationFrame(() => requestAnimationFrame(callback));
}

// Call `run` once typing has paused for `wait` ms; flush() runs a pending call at once (on blur, before leaving).
function debounced(run, wait) {
  let timer = null;
  let pending = null;
  const call = (...args) => {
    pending = args;
    clearTimeout(timer);
    timer = setTimeout(call.flush, wait);
  };
  call.flush = () => {
    clearTimeout(timer);
    timer = null;
    if (pending === null) return false;
    const args = pending;
    pending = null;
    run(...args);
    return true;
  };
  call.cancel = () => {
    clearTimeout(timer);
    pending = null;
  };
  call.isPending = () => pending !== null;
  return call;
}

// How long a choice waits before it is saved: arrowing through a row of chips saves the one you stop on, once.
const CHOICE_WAIT = 350;

// Changes to a form's fields, sent together by `save(changes)`: a choice after a short wait (arrowing through a
// row of chips sends only the one the student stops on), anything else at once; flush() sends what waits now.
class PendingChanges {
  constructor(save) {
    this.save = save;
    this.changes = new Map();
    this.timer = null;
  }

  add(name, value, wait = 0) {
    this.changes.set(name, value);
    clearTimeout(this.timer);
    if (wait) this.timer = setTimeout(() => this.flush(), wait);
    else this.flush();
  }

  has(name) {
    return this.changes.has(name);
  }

  flush() {
    clearTimeout(this.timer);
    if (!this.changes.size) return;
    const changes = Object.fromEntries(this.changes);
    this.changes.clear();
    this.save(changes);
  }
}

function isPlainKey(event) {
  return !event.ctrlKey && !event.metaKey && !event.altKey;
}

// A labelled field: <div class="ak-field"><label>Title</label> control <p>help</p></div>.
function fieldShell(title, control, { help = "", labelFor = null, labelId = null } = {}) {
  const shell = element("div", { className: "ak-field" });
  const label = element(labelFor ? "label" : "div", { className: "ak-field-label", for: labelFor, id: labelId }, title);
  shell.append(label, control);
  if (help) shell.title = help;
  return shell;
}

// --- ChoiceGroup: one choice of a few, shown as chips (a radio group) ---------------------------------------
//
// One Tab stop; arrows move and choose (as radio buttons do), Home/End jump, a letter jumps to the next choice
// starting with it, Delete or Backspace clears the choice ("not chosen"). onChange(value) gets "" for none.
class ChoiceGroup {
  constructor({ title, choices, help = "", name = "", onChange = () => {} }) {
    this.choices = choices;
    this.onChange = onChange;
    this.value = "";
    const labelId = uniqueId("ak-label");
    this.group = element("div", {
      className: "ak-chips",
      role: "radiogroup",
      "aria-labelledby": labelId,
      "data-annotkit-field": name,
    });
    this.buttons = choices.map((choice) => {
      const button = element(
        "button",
        {
          type: "button",
          role: "radio",
          className: "ak-chip",
          "aria-checked": "false",
          tabindex: "-1",
          "data-value": choice.id,
          title: choice.help || choice.name,
        },
        choice.name,
      );
      button.addEventListener("click", () => this.choose(choice.id, { focus: true }));
      return button;
    });
    this.group.append(...this.buttons);
    this.group.addEventListener("keydown", (event) => this.onKeydown(event));
    this.el = fieldShell(title, this.group, { help, labelId });
    this.set("");
  }

  set(value) {
    this.value = value || "";
    let focusable = null;
    this.buttons.forEach((button, i) => {
      const on = this.choices[i].id === this.value;
      button.setAttribute("aria-checked", String(on));
      if (on) focusable = button;
    });
    for (const button of this.buttons) button.tabIndex = -1;
    (focusable || this.buttons[0]).tabIndex = 0;
  }

  choose(value, { focus = false } = {}) {
    const changed = value !== this.value;
    this.set(value);
    if (focus) this.focus();
    if (changed) this.onChange(this.value);
  }

  focus() {
    (this.buttons.find((b) => b.tabIndex === 0) || this.buttons[0])?.focus();
  }

  contains(node) {
    return this.group.contains(node);
  }

  onKeydown(event) {
    if (!isPlainKey(event)) return;
    const at = Math.max(0, this.buttons.indexOf(document.activeElement));
    const last = this.buttons.length - 1;
    let next = null;
    if (event.key === "ArrowRight" || event.key === "ArrowDown") next = at === last ? 0 : at + 1;
    else if (event.key === "ArrowLeft" || event.key === "ArrowUp") next = at === 0 ? last : at - 1;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = last;
    else if (event.key === " ") next = at;
    else if (event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault();
      this.choose("", { focus: true });
      this.buttons[at].focus();
      return;
    } else if (event.key.length === 1 && /\S/.test(event.key)) {
      const letter = event.key.toLowerCase();
      // Nothing chosen yet: the focused (first) choice counts too, so "u" takes "United States", not "Unsure".
      for (let step = this.value ? 1 : 0; step <= this.buttons.length; step += 1) {
        const i = (at + step) % this.buttons.length;
        if (this.choices[i].name.toLowerCase().startsWith(letter)) {
          next = i;
          break;
        }
      }
      if (next === null) return;
    }
    if (next === null) return;
    event.preventDefault();
    this.choose(this.choices[next].id);
    this.buttons[next].focus();
  }
}

// --- Combobox: a text box with suggestions under it --------------------------------------------------------
//
// The suggestions are listed in the page flow (not a pop-up an output area could clip). ArrowDown/ArrowUp move
// through them, Enter takes the one marked (or what was typed), Escape closes the list. With `strict`, only a
// suggestion may be chosen: what was typed must match one (or be the start of exactly one).
class Combobox {
  constructor({ title, help = "", name = "", placeholder = "", strict = false, onCommit = () => {} }) {
    this.strict = strict;
    this.onCommit = onCommit;
    this.options = [];
    this.value = "";
    this.active = -1;
    this.shown = [];
    const id = uniqueId("ak-combo");
    this.input = element("input", {
      id,
      type: "text",
      className: "ak-input",
      role: "combobox",
      autocomplete: "off",
      spellcheck: "false",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": `${id}-list`,
      placeholder,
      "data-annotkit-field": name,
    });
    this.list = element("ul", { id: `${id}-list`, className: "ak-suggestions", role: "listbox", hidden: true });
    const box = element("div", { className: "ak-combo" });
    box.append(this.input, this.list);
    this.el = fieldShell(title, box, { help, labelFor: id });
    this.input.addEventListener("input", () => this.open());
    this.input.addEventListener("focus", () => this.input.select());
    this.input.addEventListener("keydown", (event) => this.onKeydown(event));
    this.input.addEventListener("blur", () => {
      this.close();
      this.commit(this.input.value);
    });
    // A click on a suggestion must not blur the input first (that would commit what was typed).
    this.list.addEventListener("mousedown", (event) => event.preventDefault());
  }

  setOptions(options) {
    this.options = options;
    if (!this.list.hidden) this.open();
  }

  set(value) {
    this.value = value || "";
    if (document.activeElement !== this.input) this.input.value = this.value;
  }

  focus() {
    this.input.focus();
  }

  contains(node) {
    return this.el.contains(node);
  }

  matches(typed) {
    const needle = typed.trim().toLowerCase();
    if (!needle) return [...this.options];
    const starts = this.options.filter((o) => o.toLowerCase().startsWith(needle));
    const inside = this.options.filter((o) => !starts.includes(o) && o.toLowerCase().includes(needle));
    return [...starts, ...inside];
  }

  open() {
    this.shown = this.matches(this.input.value).slice(0, 50);
    this.active = -1;
    const items = this.shown.map((option, i) => {
      const item = element("li", { role: "option", id: `${this.list.id}-${i}`, className: "ak-suggestion" }, option);
      item.addEventListener("click", () => {
        this.input.value = option;
        this.close();
        this.commit(option);
      });
      return item;
    });
    this.list.replaceChildren(...items);
    this.list.hidden = items.length === 0;
    this.input.setAttribute("aria-expanded", String(!this.list.hidden));
    this.input.removeAttribute("aria-activedescendant");
  }

  close() {
    this.list.hidden = true;
    this.active = -1;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  }

  mark(index) {
    const items = [...this.list.children];
    if (!items.length) return;
    this.active = (index + items.length) % items.length;
    items.forEach((item, i) => item.setAttribute("aria-selected", String(i === this.active)));
    const item = items[this.active];
    this.input.setAttribute("aria-activedescendant", item.id);
    item.scrollIntoView({ block: "nearest" });
  }

  onKeydown(event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (this.list.hidden) this.open();
      this.mark(this.active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter") {
      event.preventDefault();
      const picked = this.active >= 0 ? this.shown[this.active] : this.input.value;
      this.input.value = picked;
      this.close();
      this.commit(picked);
      this.input.dispatchEvent(new CustomEvent("ak-next", { bubbles: true }));
    } else if (event.key === "Escape" && !this.list.hidden) {
      event.preventDefault();
      event.stopImmediatePropagation(); // the first Escape only closes the list
      this.close();
    }
  }

  // The value to save for what was typed, or null (with a reason) when a strict box cannot take it.
  resolve(typed) {
    const text = typed.split(/\s+/).filter(Boolean).join(" ");
    if (!this.strict || !text) return { value: text };
    const exact = this.options.find((o) => o.toLowerCase() === text.toLowerCase());
    if (exact) return { value: exact };
    const found = this.matches(text);
    if (found.length === 1) return { value: found[0] };
    return { value: null, problem: text };
  }

  commit(typed) {
    const { value, problem } = this.resolve(typed);
    if (value === null) {
      this.input.value = this.value;
      this.onCommit(null, problem);
      return;
    }
    this.input.value = value;
    if (value === this.value) return;
    this.value = value;
    this.onCommit(value);
  }
}

// --- TextBox: a note or an answer, saved while typing (after a pause) and when leaving the box ----------------
class TextBox {
  constructor({ title, help = "", name = "", placeholder = "", rows = 2, wait = 700, maxLength = 20000, onCommit }) {
    const id = uniqueId("ak-text");
    this.value = "";
    this.area = element("textarea", {
      id,
      className: "ak-textarea",
      rows,
      placeholder,
      maxlength: maxLength,
      spellcheck: "true",
      "data-annotkit-field": name,
    });
    this.el = title ? fieldShell(title, this.area, { help, labelFor: id }) : this.area;
    this.save = debounced((text) => {
      if (text === this.value) return;
      this.value = text;
      onCommit(text);
    }, wait);
    this.area.addEventListener("input", () => this.save(this.area.value));
    this.area.addEventListener("blur", () => this.save.flush());
  }

  set(value) {
    this.value = value || "";
    if (document.activeElement !== this.area && !this.save.isPending()) this.area.value = this.value;
  }

  focus() {
    this.area.focus();
  }

  contains(node) {
    return this.el.contains(node);
  }

  flush() {
    return this.save.flush();
  }
}

// --- RovingList: a list that is one Tab stop; arrows move, Enter acts, Delete removes ------------------------
//
// items: [{id, node}] where node is an <li>. The item with tabindex 0 is the one Tab comes back to. After an
// item is removed, focus moves to the one that took its place (the next, else the previous), or to `fallback`.
class RovingList {
  constructor({ label, attributes = {}, onActivate = () => {}, onDelete = null, fallback = () => {} }) {
    this.onActivate = onActivate;
    this.onDelete = onDelete;
    this.fallback = fallback;
    this.current = "";
    this.wantFocus = null; // an item to focus once the list is drawn again (after a removal)
    this.list = element("ul", { className: "ak-list", role: "listbox", "aria-label": label, ...attributes });
    this.list.addEventListener("keydown", (event) => this.onKeydown(event));
    this.list.addEventListener("focusin", (event) => {
      const item = event.target.closest("li[data-id]");
      if (item) this.setCurrent(item.dataset.id);
    });
  }

  items() {
    return [...this.list.querySelectorAll(":scope > li[data-id]")];
  }

  render(nodes) {
    const hadFocus = this.list.contains(document.activeElement);
    const focusedId = hadFocus ? document.activeElement.closest("li[data-id]")?.dataset.id : null;
    this.list.replaceChildren(...nodes);
    const ids = nodes.map((n) => n.dataset.id);
    if (!ids.includes(this.current)) this.current = ids[0] || "";
    for (const node of nodes) node.tabIndex = node.dataset.id === this.current ? 0 : -1;
    const target = this.wantFocus ?? focusedId;
    this.wantFocus = null;
    if (target !== null && target !== undefined && (hadFocus || target !== focusedId)) {
      if (target === "") this.fallback();
      else this.focusItem(ids.includes(target) ? target : this.current);
    }
  }

  setCurrent(id) {
    this.current = id;
    for (const item of this.items()) item.tabIndex = item.dataset.id === id ? 0 : -1;
  }

  focusItem(id) {
    const item = this.items().find((n) => n.dataset.id === id);
    if (!item) return this.fallback();
    this.setCurrent(id);
    item.focus();
    item.scrollIntoView({ block: "nearest" });
  }

  // Where focus should go once `id` is gone: the next item, else the previous one, else "" (the fallback).
  neighbourOf(id) {
    const ids = this.items().map((n) => n.dataset.id);
    const at = ids.indexOf(id);
    if (at < 0) return "";
    return ids[at + 1] ?? ids[at - 1] ?? "";
  }

  removeWithFocus(id) {
    this.wantFocus = this.neighbourOf(id);
    this.current = this.wantFocus;
  }

  onKeydown(event) {
    const items = this.items();
    if (!items.length || !isPlainKey(event)) return;
    const at = Math.max(0, items.indexOf(document.activeElement.closest("li[data-id]")));
    let next = null;
    if (event.key === "ArrowDown") next = Math.min(items.length - 1, at + 1);
    else if (event.key === "ArrowUp") next = Math.max(0, at - 1);
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = items.length - 1;
    else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      this.onActivate(items[at].dataset.id, event);
      return;
    } else if ((event.key === "Delete" || event.key === "Backspace") && this.onDelete) {
      event.preventDefault();
      this.onDelete(items[at].dataset.id);
      return;
    }
    if (next === null) return;
    event.preventDefault();
    this.focusItem(items[next].dataset.id);
  }
}

// --- A per-model copy of what the widget shows (tags, or an actor's perspective), shared by all its views ------
//
// Python sends the items once in full (the `snapshot` trait, and a "reset" message when asked) and then only
// what changed ("delta" messages, with any other list that changed, such as the actors tagged). A view that
// finds a gap in the versions asks for everything again.
class Book {
  constructor(model) {
    this.model = model;
    this.items = new Map();
    this.extra = {};
    this.version = -1;
    this.listeners = new Set();
    this.load(model.get("snapshot") || {});
    model.on("msg:custom", (message) => this.receive(message));
  }

  load(snapshot) {
    if (typeof snapshot.version !== "number") return;
    const { version, items, kind, ...extra } = snapshot;
    this.items = new Map((items || []).map((item) => [item.id, item]));
    this.extra = extra;
    this.version = version;
  }

  receive(message) {
    if (message.kind === "reset") {
      this.load(message);
      this.emit({ reset: true });
    } else if (message.kind === "delta") {
      if (message.base !== this.version) {
        this.model.send({ event: "hello", version: this.version }); // a message was missed: start again
        return;
      }
      for (const id of message.remove || []) this.items.delete(id);
      for (const item of message.upsert || []) this.items.set(item.id, item);
      Object.assign(this.extra, message.extra || {});
      this.version = message.version;
      this.emit({ upsert: message.upsert || [], remove: message.remove || [] });
    }
  }

  emit(change) {
    for (const listener of this.listeners) listener(change);
  }

  list() {
    return [...this.items.values()];
  }
}

const BOOKS = new WeakMap();
function bookOf(model) {
  let book = BOOKS.get(model);
  if (!book) {
    book = new Book(model);
    BOOKS.set(model, book);
  }
  return book;
}

// A status line that screen readers announce; each new message from Python has a new number `n`.
function statusLine() {
  return element("div", { className: "ak-status", "data-annotkit": "status", role: "status", "aria-live": "polite" });
}

function showStatus(node, status) {
  node.textContent = status?.text || "";
  node.classList.toggle("ak-error", status?.kind === "error");
  node.classList.toggle("ak-ok", status?.kind === "ok");
}
