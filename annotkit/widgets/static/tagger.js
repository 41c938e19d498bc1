// annotkit's span tagger: the article as text, highlights, and selection with mouse and keyboard.
//
// Python owns the annotations. This view only turns a selection into a message ({event: "select", start, end,
// label}) and draws what the model says (`spans`). Offsets on both sides of the wire are UTF-16 code units,
// the browser's own; Python converts them to code points.
//
// The text region is contenteditable so the browser gives us a real caret, Shift/Ctrl+arrow selection and
// screen-reader support for free; every edit is refused (beforeinput, paste, drop), and the article is only
// ever inserted as text nodes, never as HTML.

const NAVIGATION_KEYS = new Set([
  "ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown", "Tab", "Shift",
  "Control", "Alt", "Meta", "CapsLock",
]);

function element(tag, attributes = {}, text = null) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "className") node.className = value;
    else node.setAttribute(name, value);
  }
  if (text !== null) node.textContent = text; // text, never HTML
  return node;
}

// The spans that cover [a, b), outermost (longest) first so nesting is stable.
function covering(spans, a, b) {
  return spans
    .filter((s) => s.start <= a && s.end >= b)
    .sort((x, y) => y.end - y.start - (x.end - x.start) || x.start - y.start || (x.id < y.id ? -1 : 1));
}

function afterPaint(callback) {
  requestAnimationFrame(() => requestAnimationFrame(callback));
}

class TaggerView {
  constructor(model, el) {
    this.model = model;
    this.el = el;
    this.segments = []; // [{start, end, node}] sorted, one per text run
    this.drawn = new Map(); // "start:end" of a paragraph -> {signature, node, segments}, to redraw only changes
    this.focusedId = "";
    this.pending = null; // performance.now() when a selection was sent, to time the round trip
    this.quietAt = null; // a caret offset set by redrawing, not by the student
    this.announcedId = ""; // the tag the status line last said the caret is in
    this.build();
    this.renderLabels();
    this.renderText();
    this.renderStatus();
  }

  // --- skeleton ------------------------------------------------------------------------------------------

  build() {
    const root = element("div", { className: "ak-tagger", "data-annotkit": "tagger", "data-lm-suppress-shortcuts": "true" });
    this.toolbar = element("div", { className: "ak-toolbar", role: "toolbar", "aria-label": "Labels" });
    this.text = element("div", {
      className: "ak-text",
      "data-annotkit": "text",
      contenteditable: "true",
      spellcheck: "false",
      autocorrect: "off",
      autocapitalize: "off",
      role: "textbox",
      "aria-readonly": "true",
      "aria-multiline": "true",
      "aria-label": "Article text. Select words, then press Enter or a number key to tag them.",
      tabindex: "0",
    });
    this.status = element("div", { className: "ak-status", "data-annotkit": "status", role: "status", "aria-live": "polite" });
    const help = element("details", { className: "ak-help" });
    help.append(
      element("summary", {}, "How to tag"),
      element(
        "p",
        {},
        "Mouse: pick a label, then select words — they are tagged at once. Keyboard: click or Tab into the text; " +
          "arrows move, Shift+arrows select, Ctrl+arrows jump a word; press Enter for the chosen label or a " +
          "number key for another; with the caret inside a tag, Delete removes it and a number key changes " +
          "its label; Ctrl+Z undoes. Tab moves on to the list of tags.",
      ),
    );
    this.listHeading = element("div", { className: "ak-list-heading" });
    this.list = element("ul", { className: "ak-list", "data-annotkit": "span-list", "aria-label": "Your tags" });
    root.append(this.toolbar, this.text, this.status, help, this.listHeading, this.list);
    this.el.replaceChildren(root);
    this.root = root;

    // Keep JupyterLab's notebook shortcuts (a, b, d d, m ...) away from everything typed in the widget.
    root.addEventListener("keydown", (event) => event.stopPropagation());
    this.text.addEventListener("keydown", (event) => this.onKeydown(event));
    for (const kind of ["beforeinput", "paste", "drop", "cut", "dragstart"]) {
      this.text.addEventListener(kind, (event) => event.preventDefault());
    }
    this.text.addEventListener("mouseup", () => setTimeout(() => this.onMouseSelection(), 0));
    this.onSelectionChange = () => this.trackCaret();
    document.addEventListener("selectionchange", this.onSelectionChange);
  }

  destroy() {
    document.removeEventListener("selectionchange", this.onSelectionChange);
  }

  labels() {
    return this.model.get("labels") || [];
  }

  labelById(id) {
    return this.labels().find((label) => label.id === id);
  }

  // --- drawing ----------------------------------------------------------------------------------------

  renderLabels() {
    const active = this.model.get("active_label");
    const buttons = this.labels().map((label) => {
      const button = element(
        "button",
        {
          type: "button",
          className: `ak-label ak-c${label.color}`,
          "data-annotkit-label": label.id,
          "aria-pressed": String(label.id === active),
          title: label.definition || label.name,
        },
        null,
      );
      button.append(element("kbd", {}, label.key), document.createTextNode(` ${label.name}`));
      // mousedown would move the selection out of the text: keep it, so "select, then click a label" works too.
      button.addEventListener("mousedown", (event) => event.preventDefault());
      button.addEventListener("click", () => this.chooseLabel(label.id));
      return button;
    });
    this.toolbar.replaceChildren(...buttons);
    this.toolbar.hidden = this.model.get("read_only") || buttons.length === 0;
  }

  renderText() {
    const caret = this.selectionOffsets();
    const text = this.model.get("text");
    const spans = this.model.get("spans") || [];
    const drawn = new Map();
    const paragraphs = [];
    this.segments = [];
    for (const [blockStart, blockEnd] of this.model.get("blocks") || []) {
      const inside = spans.filter((s) => s.start < blockEnd && s.end > blockStart);
      // Redraw only the paragraphs whose tags changed: a long article stays quick to tag.
      const key = `${blockStart}:${blockEnd}`;
      const signature = JSON.stringify(inside.map((s) => [s.id, s.start, s.end, s.label, s.caption]));
      let paragraph = this.drawn.get(key);
      if (!paragraph || paragraph.signature !== signature) {
        paragraph = { signature, ...this.renderParagraph(text, blockStart, blockEnd, inside) };
      }
      drawn.set(key, paragraph);
      paragraphs.push(paragraph.node);
      this.segments.push(...paragraph.segments);
    }
    this.drawn = drawn;
    const shown = this.text.children;
    if (shown.length !== paragraphs.length) this.text.replaceChildren(...paragraphs);
    else paragraphs.forEach((node, i) => shown[i] !== node && shown[i].replaceWith(node));
    this.renderList(spans);
    this.highlightFocused();
    if (caret && document.activeElement === this.text) {
      // Put the caret back where it was; landing in a tag this way is not news, so do not announce it.
      this.quietAt = caret.end;
      this.setSelection(caret.end, caret.end);
    }
    // Timings for the benchmarks, taken when the browser has painted the result (two animation frames later).
    const sent = this.pending;
    this.pending = null;
    if (sent !== null) {
      afterPaint(() => this.root.setAttribute("data-tag-ms", (performance.now() - sent).toFixed(1)));
    }
  }

  // From the start of rendering to the first frame painted with the article on screen.
  timeFirstPaint(began) {
    if (!this.root.isConnected) {
      requestAnimationFrame(() => this.timeFirstPaint(began)); // the notebook attaches the view a moment later
      return;
    }
    afterPaint(() => this.root.setAttribute("data-render-ms", (performance.now() - began).toFixed(1)));
  }

  renderParagraph(text, blockStart, blockEnd, inside) {
    const node = element("p", { className: "ak-par" });
    const segments = [];
    const cuts = new Set([blockStart, blockEnd]);
    for (const s of inside) {
      if (s.start > blockStart) cuts.add(s.start);
      if (s.end < blockEnd) cuts.add(s.end);
    }
    const points = [...cuts].sort((a, b) => a - b);
    for (let i = 0; i + 1 < points.length; i += 1) {
      const [a, b] = [points[i], points[i + 1]];
      const run = element("span", { className: "ak-run", "data-start": String(a) }, text.slice(a, b));
      segments.push({ start: a, end: b, node: run });
      let piece = run;
      const layers = covering(inside, a, b);
      for (let depth = layers.length - 1; depth >= 0; depth -= 1) {
        const span = layers[depth];
        const mark = element("mark", {
          className: `ak-mark ak-c${this.labelById(span.label)?.color ?? 0}`,
          "data-label": span.label,
          "data-annotation-id": span.id,
          "data-depth": String(depth),
          title: span.caption,
        });
        if (b === span.end) {
          // The visible label sits after the tag's last piece (CSS ::after: never part of a selection).
          mark.classList.add("ak-end");
          mark.setAttribute("data-caption", span.caption);
        }
        mark.append(piece);
        piece = mark;
      }
      node.append(piece);
    }
    return { node, segments };
  }

  renderList(spans) {
    const ordered = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
    this.listHeading.textContent = ordered.length
      ? `Your tags (${ordered.length})`
      : this.model.get("read_only") ? "" : "No tags yet.";
    const items = ordered.map((span) => {
      const item = element("li", { "data-annotation-id": span.id });
      const label = this.labelById(span.label);
      const go = element("button", { type: "button", className: "ak-goto", title: "Show it in the text" });
      go.append(element("span", { className: `ak-swatch ak-c${label?.color ?? 0}` }, label?.name ?? span.label));
      go.append(document.createTextNode(` “${span.text}”${span.note ? ` — ${span.note}` : ""}`));
      go.addEventListener("click", () => {
        this.text.focus();
        this.setSelection(span.start, span.start);
        this.setFocused(span.id);
        this.text.querySelector(`mark[data-annotation-id="${span.id}"]`)?.scrollIntoView({ block: "nearest" });
      });
      item.append(go);
      if (!this.model.get("read_only")) {
        const remove = element(
          "button",
          {
            type: "button",
            className: "ak-remove",
            "data-annotkit": "remove",
            "aria-label": `Remove ${label?.name ?? span.label}: ${span.text}`,
          },
          "Remove",
        );
        remove.addEventListener("click", () => this.send({ event: "remove", id: span.id }));
        item.append(remove);
      }
      return item;
    });
    this.list.replaceChildren(...items);
  }

  renderStatus() {
    const status = this.model.get("status") || {};
    this.status.textContent = status.text || "";
    this.status.classList.toggle("ak-error", status.kind === "error");
  }

  announce(text) {
    this.status.textContent = text;
    this.status.classList.remove("ak-error");
  }

  // --- offsets <-> DOM ---------------------------------------------------------------------------------

  // The article offset of a DOM boundary point; text outside runs (paragraph gaps) goes to the next run.
  pointToOffset(node, offset) {
    if (node.nodeType === Node.TEXT_NODE && node.parentElement?.classList.contains("ak-run")) {
      return Number(node.parentElement.dataset.start) + offset;
    }
    const probe = document.createRange();
    probe.setStart(node, offset);
    let low = 0;
    let high = this.segments.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (probe.comparePoint(this.segments[middle].node, 0) < 0) low = middle + 1;
      else high = middle;
    }
    if (low < this.segments.length) return this.segments[low].start;
    return this.segments.length ? this.segments[this.segments.length - 1].end : 0;
  }

  offsetToPoint(offset) {
    let low = 0;
    let high = this.segments.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.segments[middle].start <= offset) low = middle;
      else high = middle - 1;
    }
    const segment = this.segments[low];
    if (!segment) return null;
    const inside = Math.max(0, Math.min(offset - segment.start, segment.end - segment.start));
    return [segment.node.firstChild || segment.node, inside];
  }

  selectionOffsets() {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0) return null;
    const range = selection.getRangeAt(0);
    if (!this.text.contains(range.commonAncestorContainer)) return null;
    const start = this.pointToOffset(range.startContainer, range.startOffset);
    const end = this.pointToOffset(range.endContainer, range.endOffset);
    return { start: Math.min(start, end), end: Math.max(start, end), collapsed: range.collapsed };
  }

  setSelection(start, end) {
    const from = this.offsetToPoint(start);
    const to = this.offsetToPoint(end);
    if (!from || !to) return;
    const selection = window.getSelection();
    selection.setBaseAndExtent(from[0], from[1], to[0], to[1]);
  }

  // --- actions ------------------------------------------------------------------------------------------

  send(message) {
    this.model.send(message);
  }

  tagSelection(label) {
    const range = this.selectionOffsets();
    if (!range || range.start === range.end) return false;
    this.pending = performance.now();
    this.send({ event: "select", start: range.start, end: range.end, label });
    this.setSelection(range.end, range.end);
    return true;
  }

  chooseLabel(id) {
    this.model.set("active_label", id);
    this.model.save_changes();
    const name = this.labelById(id)?.name ?? id;
    if (!this.tagSelection(id)) this.announce(`Label: ${name}. Select words to tag them.`);
  }

  onMouseSelection() {
    if (this.model.get("read_only")) return;
    const range = this.selectionOffsets();
    if (range && !range.collapsed && range.start !== range.end) this.tagSelection(this.model.get("active_label"));
  }

  onKeydown(event) {
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
    if (event.key === "Enter") {
      if (!this.tagSelection(this.model.get("active_label"))) {
        this.announce("Select some words first: Shift+arrow keys extend the selection.");
      }
    } else if (label && !command && !event.altKey) {
      if (this.tagSelection(label.id)) return;
      if (this.focusedId) this.send({ event: "relabel", id: this.focusedId, label: label.id });
      else this.chooseLabel(label.id);
    } else if (event.key === "Delete" || event.key === "Backspace") {
      if (this.focusedId) this.send({ event: "remove", id: this.focusedId });
      else this.announce("The caret is not inside a tag, so there is nothing to remove here.");
    } else if (event.key === "Escape") {
      const range = this.selectionOffsets();
      if (range) this.setSelection(range.end, range.end);
    }
  }

  // The tag under the caret (the innermost one) is the focused tag: Delete and number keys act on it.
  trackCaret() {
    const range = this.selectionOffsets();
    if (!range || !range.collapsed) return;
    // A caret just after a tag counts as in it, so Delete right after tagging removes what was just tagged.
    const at = range.start;
    const quiet = this.quietAt === at;
    this.quietAt = null;
    const spans = (this.model.get("spans") || []).filter((s) => s.start <= at && at <= s.end);
    spans.sort((a, b) => (a.end === at) - (b.end === at) || a.end - a.start - (b.end - b.start));
    this.setFocused(spans.length ? spans[0].id : "", { quiet });
  }

  setFocused(id, { quiet = false } = {}) {
    if (id !== this.focusedId) {
      this.focusedId = id;
      this.highlightFocused();
      this.model.set("focused", id);
      this.model.save_changes();
    }
    // Announce a tag once the student moves into it (not when a redraw put the caret there).
    if (quiet || id === this.announcedId) return;
    this.announcedId = id;
    const span = (this.model.get("spans") || []).find((s) => s.id === id);
    if (span) {
      this.announce(`In the tag ${span.caption}: “${span.text}”. Delete removes it; a number key changes its label.`);
    }
  }

  highlightFocused() {
    for (const mark of this.text.querySelectorAll("mark.ak-focused")) mark.classList.remove("ak-focused");
    for (const item of this.list.querySelectorAll("li.ak-focused")) item.classList.remove("ak-focused");
    if (!this.focusedId) return;
    for (const mark of this.text.querySelectorAll(`mark[data-annotation-id="${this.focusedId}"]`)) {
      mark.classList.add("ak-focused");
    }
    this.list.querySelector(`li[data-annotation-id="${this.focusedId}"]`)?.classList.add("ak-focused");
  }
}

export default {
  render({ model, el }) {
    const began = performance.now();
    const view = new TaggerView(model, el);
    view.timeFirstPaint(began);
    const redraw = () => view.renderText();
    const relabel = () => {
      view.drawn.clear(); // colours come from the labels
      view.renderLabels();
    };
    const restatus = () => view.renderStatus();
    model.on("change:spans", redraw);
    model.on("change:text", redraw);
    model.on("change:blocks", redraw);
    model.on("change:labels", relabel);
    model.on("change:active_label", relabel);
    const both = () => {
      relabel();
      redraw();
    };
    model.on("change:read_only", both);
    model.on("change:status", restatus);
    // Python clears the focused tag when it removes it; follow, so Delete never acts on a tag that is gone.
    const refocus = () => {
      view.focusedId = model.get("focused");
      view.highlightFocused();
    };
    model.on("change:focused", refocus);
    return () => {
      model.off("change:focused", refocus);
      view.destroy();
      model.off("change:spans", redraw);
      model.off("change:text", redraw);
      model.off("change:blocks", redraw);
      model.off("change:labels", relabel);
      model.off("change:active_label", relabel);
      model.off("change:read_only", both);
      model.off("change:status", restatus);
    };
  },
};
