// annotkit's tagging tool: the label bar, the article text, the form for one tag, the list of tags, a status line.
//
// Python owns the annotations: this view sends what the student does ({event: "select", start, end, label},
// "edit", "remove", "undo" ...) and draws what Python says. Tags arrive once in full and then as changes (see
// Book in base.js), so a tag costs a few hundred bytes whatever the article's length. The text is text.js, the
// form form.js.

const NAVIGATION_KEYS = new Set([
  "ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown", "Tab", "Shift",
  "Control", "Alt", "Meta", "CapsLock", "Process", "Unidentified", "Dead",
]);

class TaggerView {
  constructor(model, el) {
    this.model = model;
    this.el = el;
    this.book = bookOf(model);
    this.pending = null; // performance.now() when a selection was sent, to time the round trip
    this.announcedId = "";
    this.returnTo = null; // the selection to restore when coming back to the text
    this.build();
    this.renderLabels();
    this.form.build(model.get("fields") || []);
    this.renderArticle();
    this.renderStatus();
    this.onBook = (change) => this.onChange(change);
    this.book.listeners.add(this.onBook);
    // Changes Python sent before this view's code was loaded may be lost: say which version this view has.
    this.send({ event: "hello", version: this.book.version });
  }

  // --- skeleton ------------------------------------------------------------------------------------------

  build() {
    const readOnly = this.model.get("read_only");
    const root = element("div", { className: "ak-root ak-tagger", "data-annotkit": "tagger" });
    guardKeys(root);
    this.toolbar = element("div", { className: "ak-toolbar", role: "toolbar", "aria-label": "Labels" });
    this.toolbar.addEventListener("keydown", (event) => this.onToolbarKey(event));
    this.textRegion = new TextRegion({
      colorOf: (id) => this.labelById(id)?.color ?? 0,
      onEdited: () => this.say("The article cannot be changed: select words, then press a number key to tag them."),
    });
    this.text = this.textRegion.node;
    this.form = new TagForm(this);
    this.listHeading = element("div", { className: "ak-list-heading", id: uniqueId("ak-tags") });
    this.tags = new RovingList({
      label: "Your tags",
      onActivate: (id, event) => (event.key === " " ? this.goTo(id) : this.editTag(id)),
      onDelete: (id) => this.removeFromList(id),
      fallback: () => this.backToText(),
    });
    this.tags.list.setAttribute("data-annotkit", "span-list");
    this.tags.list.setAttribute("aria-labelledby", this.listHeading.id);
    this.tags.list.addEventListener("keydown", (event) => this.onUndoKey(event));
    this.toolbar.addEventListener("keydown", (event) => this.onUndoKey(event));
    this.status = statusLine();
    const side = element("div", { className: "ak-side" });
    const listBox = element("section", { className: "ak-tags" });
    listBox.append(this.listHeading, this.tags.list);
    side.append(this.form.node, listBox);
    const main = element("div", { className: "ak-main" });
    main.append(this.text, side);
    const help = element("details", { className: "ak-help" });
    help.append(element("summary", {}, "Keys"), this.helpList());
    root.append(this.toolbar, main, this.status, help);
    this.form.node.hidden = readOnly;
    this.el.replaceChildren(root);
    this.root = root;

    this.text.addEventListener("keydown", (event) => this.onTextKey(event));
    this.text.addEventListener("mouseup", () => setTimeout(() => this.onMouseSelection(), 0));
    this.onSelectionChange = () => this.trackCaret();
    document.addEventListener("selectionchange", this.onSelectionChange);
    // Coming back to the widget: show what other notebooks changed meanwhile (a plain read of the store).
    this.lastSync = performance.now();
    root.addEventListener("focusin", (event) => {
      if (root.contains(event.relatedTarget) || performance.now() - this.lastSync < 2000) return;
      this.lastSync = performance.now();
      this.send({ event: "sync" });
    });
  }

  helpList() {
    const rows = [
      ["Select words", "mouse, or Shift+arrows (Ctrl+Shift+→: a word at a time; Shift+↓: to the next line)"],
      ["Enter or 1–9, 0", "tag the selection with the chosen label, or with that number's label"],
      ["Enter (nothing selected)", "edit the tag under the caret (or the next tag's values) in the form"],
      ["Esc", "from the form, back to the text; from the text, back to the notebook"],
      ["Delete", "remove the tag under the caret; a number key changes its label"],
      ["Ctrl+Z", "undo your last change in this tagger"],
      ["Tab", "move between the labels, the text, the form and the list"],
      ["In the list", "↑ ↓ move, Enter edits the tag, Space shows it in the text, Delete removes it"],
    ];
    const list = element("dl", { className: "ak-keys" });
    for (const [keys, what] of rows) list.append(element("dt", {}, keys), element("dd", {}, what));
    return list;
  }

  destroy() {
    document.removeEventListener("selectionchange", this.onSelectionChange);
    this.book.listeners.delete(this.onBook);
    this.textRegion.destroy();
  }

  labels() {
    return this.model.get("labels") || [];
  }

  labelById(id) {
    return this.labels().find((label) => label.id === id);
  }

  nextValues() {
    return this.model.get("next_values") || {};
  }

  // Every message to Python goes through here, after what the form still holds: the order of changes is kept.
  send(message, { flush = true } = {}) {
    if (flush) this.form.flush();
    this.model.send(message);
  }

  say(text, kind = "info") {
    showStatus(this.status, { text, kind });
  }

  // --- drawing ----------------------------------------------------------------------------------------

  renderLabels() {
    const active = this.model.get("active_label");
    const buttons = this.labels().map((label) => {
      const button = element("button", {
        type: "button",
        className: `ak-label ak-c${label.color}`,
        "data-annotkit-label": label.id,
        "aria-pressed": String(label.id === active),
        tabindex: label.id === active ? "0" : "-1",
        title: label.definition || label.name,
      });
      if (label.key) button.append(element("kbd", {}, label.key));
      button.append(element("span", {}, label.name));
      // mousedown would move the selection out of the text: keep it, so "select, then click a label" works too.
      button.addEventListener("mousedown", (event) => event.preventDefault());
      button.addEventListener("click", () => this.chooseLabel(label.id, { backToText: true }));
      return button;
    });
    if (buttons.length && !buttons.some((b) => b.tabIndex === 0)) buttons[0].tabIndex = 0;
    this.toolbar.replaceChildren(...buttons);
    this.toolbar.hidden = this.model.get("read_only") || buttons.length === 0;
  }

  renderArticle() {
    this.textRegion.setArticle(this.model.get("text"), this.model.get("blocks") || []);
    this.renderSpans();
  }

  spans() {
    return this.book.list();
  }

  renderSpans() {
    const spans = this.spans();
    this.textRegion.render(spans);
    this.renderList(spans);
    this.form.refreshOptions();
    this.showForm();
    // Timings for the benchmarks, taken when the browser has painted the result (two animation frames later).
    const sent = this.pending;
    this.pending = null;
    if (sent !== null) {
      afterPaint(() => this.root.setAttribute("data-tag-ms", (performance.now() - sent).toFixed(1)));
    }
  }

  onChange() {
    this.renderSpans();
  }

  renderList(spans) {
    const readOnly = this.model.get("read_only");
    const ordered = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
    this.listHeading.textContent = ordered.length ? `Your tags (${ordered.length})` : readOnly ? "" : "No tags yet.";
    const items = ordered.map((span) => {
      const label = this.labelById(span.label);
      const item = element("li", {
        role: "option",
        "data-id": span.id,
        "data-annotation-id": span.id,
        "aria-selected": String(span.id === this.textRegion.focusedId),
        className: span.id === this.textRegion.focusedId ? "ak-focused" : "",
      });
      const words = element("span", { className: "ak-item-text" });
      words.append(
        element("span", { className: `ak-badge ak-c${label?.color ?? 0}` }, label?.name ?? span.label),
        element("span", { className: "ak-item-words" }, `“${span.text}”`),
      );
      if (span.detail) words.append(element("span", { className: "ak-item-detail" }, span.detail));
      if (span.note) words.append(element("span", { className: "ak-item-note", title: span.note }, `✎ ${span.note}`));
      words.addEventListener("click", () => this.goTo(span.id));
      item.append(words);
      if (!readOnly) {
        const remove = element(
          "button",
          {
            type: "button",
            className: "ak-remove",
            "data-annotkit": "remove",
            tabindex: "-1",
            "aria-label": `Remove ${label?.name ?? span.label}: ${span.text}`,
            title: "Remove this tag (Delete)",
          },
          "Remove",
        );
        remove.addEventListener("click", (event) => {
          event.stopPropagation();
          this.removeFromList(span.id);
        });
        item.append(remove);
      }
      return item;
    });
    this.tags.render(items);
  }

  renderStatus() {
    showStatus(this.status, this.model.get("status"));
  }

  // --- the form ---------------------------------------------------------------------------------------

  // The form edits the tag under the caret, unless words are selected: then it shows what the next tag gets.
  showForm() {
    if (this.form.node.contains(document.activeElement)) {
      // The student is in the form: keep its tag, unless that tag is gone.
      const target = this.form.target && this.book.items.get(this.form.target.id);
      if (this.form.target && !target) this.say("The tag you were editing is gone (removed or undone).", "error");
      this.form.show(target || null);
      return;
    }
    const range = this.textRegion.selectionOffsets();
    const selecting = range && !range.collapsed;
    const id = selecting ? "" : this.textRegion.focusedId;
    this.form.show(id ? this.book.items.get(id) || null : null);
  }

  // The tag under the caret now (selectionchange, which tracks it, may not have fired yet after a quick key).
  caretTag() {
    const range = this.textRegion.selectionOffsets();
    if (!range || !range.collapsed) return null;
    const span = this.textRegion.tagAt(range.start);
    if ((span?.id ?? "") !== this.textRegion.focusedId) this.setFocused(span?.id ?? "");
    return span;
  }

  openForm() {
    this.returnTo = this.textRegion.selectionOffsets();
    this.form.show(this.caretTag());
    this.form.focusFirst();
  }

  backToText() {
    this.text.focus({ preventScroll: true });
    const back = this.returnTo;
    this.returnTo = null;
    if (back) this.textRegion.setSelection(back.start, back.end);
    else if (this.form.target) {
      const span = this.book.items.get(this.form.target.id);
      if (span) this.textRegion.setSelection(span.end, span.end);
    }
  }

  editTag(id) {
    const span = this.book.items.get(id);
    if (!span) return;
    this.returnTo = { start: span.end, end: span.end, collapsed: true };
    this.setFocused(id, { quiet: true });
    this.form.show(span);
    this.form.focusFirst();
  }

  // --- actions ------------------------------------------------------------------------------------------

  tagSelection(label) {
    const range = this.textRegion.selectionOffsets();
    if (!range || range.collapsed) return false;
    // Keys pressed before Python has answered must not tag the same words again (other words are tagged).
    const waiting = this.expectTag;
    if (waiting && waiting.start === range.start && waiting.end === range.end && performance.now() - waiting.at < 3000) {
      return true;
    }
    this.pending = performance.now();
    this.send({ event: "select", start: range.start, end: range.end, label });
    // The caret goes to the end of the new tag once Python has made it (a refused selection stays selected).
    this.expectTag = { start: range.start, end: range.end, at: performance.now() };
    return true;
  }

  chooseLabel(id, { backToText = false } = {}) {
    this.model.set("active_label", id);
    this.model.save_changes();
    const name = this.labelById(id)?.name ?? id;
    const tagged = this.tagSelection(id);
    if (!tagged) this.say(`Label: ${name}. Select words to tag them.`);
    if (backToText) this.text.focus({ preventScroll: true });
  }

  removeFromList(id) {
    this.tags.removeWithFocus(id);
    this.send({ event: "remove", id });
  }

  goTo(id) {
    const span = this.book.items.get(id);
    if (!span) return;
    this.text.focus({ preventScroll: true });
    this.textRegion.setSelection(span.start, span.start);
    this.setFocused(id);
    this.textRegion.scrollTo(id);
  }

  onMouseSelection() {
    if (this.model.get("read_only")) return;
    const range = this.textRegion.selectionOffsets();
    if (range && !range.collapsed) this.tagSelection(this.model.get("active_label"));
  }

  onUndoKey(event) {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "z") {
      event.preventDefault();
      if (!this.model.get("read_only")) this.send({ event: "undo" });
    }
  }

  onToolbarKey(event) {
    const buttons = [...this.toolbar.querySelectorAll("button")];
    const at = buttons.indexOf(document.activeElement);
    if (at < 0 || !isPlainKey(event)) return;
    let next = null;
    if (event.key === "ArrowRight") next = (at + 1) % buttons.length;
    else if (event.key === "ArrowLeft") next = (at - 1 + buttons.length) % buttons.length;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = buttons.length - 1;
    else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      this.chooseLabel(buttons[at].dataset.annotkitLabel, { backToText: true });
      return;
    }
    if (next === null) return;
    event.preventDefault();
    buttons.forEach((b, i) => (b.tabIndex = i === next ? 0 : -1));
    buttons[next].focus();
  }

  onTextKey(event) {
    if (event.isComposing) return; // an input method is at work: compositionend puts the text back
    if (NAVIGATION_KEYS.has(event.key)) return; // the browser moves the caret or the focus
    const command = event.ctrlKey || event.metaKey;
    if (command && ["a", "c"].includes(event.key.toLowerCase())) return; // select all, copy
    event.preventDefault(); // nothing else may change the text
    if (this.model.get("read_only")) return;
    if (command && event.key.toLowerCase() === "z") {
      this.send({ event: "undo" });
      return;
    }
    const label = this.labels().find((l) => l.key === event.key);
    const focused = this.caretTag()?.id ?? "";
    if (event.key === "Enter" && event.shiftKey) {
      // Jupyter's "run this cell": never a tag or the form here; leave the tool, so the next one runs the cell.
      this.say("Back in the notebook (your tags are saved). Shift+Enter again runs this cell; Tab comes back here.");
      leaveTool(this.root);
    } else if (event.key === "Enter") {
      if (this.expectTag) this.openWhenTagged = true; // Enter right after a number key: the new tag's form
      else if (!this.tagSelection(this.model.get("active_label"))) this.openForm();
    } else if (label && !command && !event.altKey) {
      if (this.tagSelection(label.id)) return;
      if (focused) this.send({ event: "relabel", id: focused, label: label.id });
      else this.chooseLabel(label.id);
    } else if (event.key === "Delete" || event.key === "Backspace") {
      if (focused) this.send({ event: "remove", id: focused });
      else this.say("The caret is not inside a tag, so there is nothing to remove here.");
    } else if (event.key === "Escape") {
      const range = this.textRegion.selectionOffsets();
      if (range && !range.collapsed) this.textRegion.setSelection(range.end, range.end);
      else leaveTool(this.root); // nothing selected: Esc leaves the tool, as it leaves a cell's editor
    }
  }

  // The tag under the caret (the innermost one) is the focused tag: Delete, number keys and the form act on it.
  trackCaret() {
    const range = this.textRegion.selectionOffsets();
    if (!range) return;
    if (!range.collapsed) {
      if (!this.form.node.contains(document.activeElement)) this.form.show(null); // what the next tag gets
      return;
    }
    const span = this.textRegion.tagAt(range.start);
    // A caret put there by tagging is not news: the status line already says what was tagged.
    const quiet = this.quietCaret === range.start;
    this.quietCaret = null;
    this.setFocused(span ? span.id : "", { quiet });
  }

  setFocused(id, { quiet = false } = {}) {
    if (id !== this.textRegion.focusedId) {
      this.textRegion.highlight(id);
      for (const item of this.tags.items()) {
        const on = item.dataset.id === id;
        item.classList.toggle("ak-focused", on);
        item.setAttribute("aria-selected", String(on));
      }
      this.model.set("focused", id);
      this.model.save_changes();
    }
    if (!this.form.node.contains(document.activeElement)) this.form.show(id ? this.book.items.get(id) || null : null);
    // Announce a tag once the student moves into it (not when tagging or a redraw put the caret there).
    if (id === this.announcedId) return;
    this.announcedId = id;
    if (quiet) return;
    const span = this.book.items.get(id);
    if (span) {
      this.say(`In the tag ${span.caption}: “${span.text}”. Enter: edit it · Delete: remove it · a number: relabel it.`);
    }
  }

  afterDelta(change) {
    // Once a selection sent from here is tagged, the caret goes to the new tag's end (inside it): Enter then
    // opens its form. The tag may be shorter than the selection (spaces and commas at the ends are dropped).
    const wanted = this.expectTag;
    if (!wanted || document.activeElement !== this.text) return;
    const made = (change.upsert || []).find((s) => s.start < wanted.end && s.end > wanted.start);
    if (made) {
      this.expectTag = null;
      this.quietCaret = made.end;
      this.textRegion.setSelection(made.end, made.end);
      if (this.openWhenTagged) {
        this.openWhenTagged = false;
        this.openForm();
      }
    }
  }

  // Python answered a selection without a new tag (refused, or already tagged): keys work as usual again.
  onStatus() {
    this.expectTag = null;
    this.openWhenTagged = false;
    this.renderStatus();
  }
}

export default {
  initialize({ model }) {
    bookOf(model); // from the first moment, so no change Python sends is missed
  },
  render({ model, el }) {
    const began = performance.now();
    let view = null;
    const onBook = (change) => view.afterDelta(change);
    const start = () => {
      view = new TaggerView(model, el);
      view.book.listeners.add(onBook);
    };
    const stop = () => {
      view.book.listeners.delete(onBook);
      view.destroy();
    };
    start();
    const painted = () => {
      if (!view.root.isConnected) {
        requestAnimationFrame(painted); // the notebook attaches the view a moment later
        return;
      }
      afterPaint(() => view.root.setAttribute("data-render-ms", (performance.now() - began).toFixed(1)));
    };
    painted();
    const handlers = {
      "change:text": () => view.renderArticle(),
      "change:blocks": () => view.renderArticle(),
      "change:labels": () => {
        view.textRegion.drawn.clear(); // colours come from the labels
        view.renderLabels();
        view.renderSpans();
      },
      "change:active_label": () => view.renderLabels(),
      "change:read_only": () => {
        stop(); // the whole tool changes (no label bar, no form): draw it again
        start();
      },
      "change:fields": () => view.form.build(model.get("fields") || []),
      "change:next_values": () => view.showForm(),
      "change:status": () => view.onStatus(),
      // Python clears the focused tag when it removes it; follow, so Delete never acts on a tag that is gone.
      "change:focused": () => view.setFocused(model.get("focused"), { quiet: true }),
    };
    for (const [name, handler] of Object.entries(handlers)) model.on(name, handler);
    const unwatch = watchKernel(model, el, "the tagger");
    return () => {
      unwatch();
      for (const [name, handler] of Object.entries(handlers)) model.off(name, handler);
      stop();
    };
  },
};
