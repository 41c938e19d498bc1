// The article as text: paragraphs with their numbers in the margin, highlights, and the caret.
//
// The region is contenteditable so the browser gives a real caret, Shift/Ctrl+arrow selection and screen-reader
// support; every edit is refused (beforeinput, paste, drop, cut). Input methods (IME, virtual keyboards) cannot
// be refused, so whatever they write is undone by drawing the paragraphs again from the model on compositionend
// (and on any other change to the DOM the region did not make): offsets are always read from a DOM that matches
// the article. Offsets are UTF-16 code units, the browser's own; Python converts them to code points.

// The spans that cover [a, b), outermost (longest) first so nesting is stable.
function covering(spans, a, b) {
  return spans
    .filter((s) => s.start <= a && s.end >= b)
    .sort((x, y) => y.end - y.start - (x.end - x.start) || x.start - y.start || (x.id < y.id ? -1 : 1));
}

class TextRegion {
  constructor({ colorOf, onEdited }) {
    this.colorOf = colorOf; // label id -> palette index
    this.onEdited = onEdited; // called after an input method's change was undone
    this.text = "";
    this.blocks = [];
    this.segments = []; // [{start, end, node}] sorted, one per text run
    this.drawn = new Map(); // "start:end" of a paragraph -> {signature, node, segments}: redraw only changes
    this.focusedId = "";
    this.composing = false;
    this.node = element("div", {
      className: "ak-text",
      "data-annotkit": "text",
      contenteditable: "true",
      spellcheck: "false",
      autocorrect: "off",
      autocapitalize: "off",
      translate: "no",
      role: "textbox",
      "aria-readonly": "true",
      "aria-multiline": "true",
      "aria-label": "Article text. Select words, then press Enter or a number key to tag them.",
      tabindex: "0",
    });
    for (const kind of ["beforeinput", "paste", "drop", "cut", "dragstart"]) {
      this.node.addEventListener(kind, (event) => event.preventDefault());
    }
    this.node.addEventListener("compositionstart", () => {
      this.composing = true;
      this.caretBefore = this.selectionOffsets();
    });
    this.node.addEventListener("compositionend", () => {
      this.composing = false;
      this.reconcile();
    });
    // Anything else that changed the text (a virtual keyboard's insertText, a browser extension).
    this.observer = new MutationObserver(() => {
      if (!this.composing) this.reconcile();
    });
    this.observer.observe(this.node, { childList: true, characterData: true, subtree: true });
  }

  destroy() {
    this.observer.disconnect();
  }

  // Draw the paragraphs again from the model, put the caret back, and say why.
  reconcile() {
    const caret = this.caretBefore || null;
    this.caretBefore = null;
    this.drawn.clear();
    this.render(this.spans || [], { keepCaret: false });
    if (caret && document.activeElement === this.node) this.setSelection(caret.start, caret.end);
    this.onEdited();
  }

  setArticle(text, blocks) {
    this.text = text;
    this.blocks = blocks;
    this.drawn.clear();
  }

  // --- drawing ---------------------------------------------------------------------------------------

  render(spans, { keepCaret = true } = {}) {
    this.spans = spans;
    const caret = keepCaret ? this.selectionOffsets() : null;
    const drawn = new Map();
    const paragraphs = [];
    this.segments = [];
    for (const [blockStart, blockEnd, number] of this.blocks) {
      const inside = spans.filter((s) => s.start < blockEnd && s.end > blockStart);
      const key = `${blockStart}:${blockEnd}`;
      const signature = JSON.stringify(inside.map((s) => [s.id, s.start, s.end, s.label, s.caption]));
      let paragraph = this.drawn.get(key);
      if (!paragraph || paragraph.signature !== signature) {
        paragraph = { signature, ...this.renderParagraph(blockStart, blockEnd, number, inside) };
      }
      drawn.set(key, paragraph);
      paragraphs.push(paragraph.node);
      this.segments.push(...paragraph.segments);
    }
    this.drawn = drawn;
    const shown = this.node.children;
    if (shown.length !== paragraphs.length) this.node.replaceChildren(...paragraphs);
    else paragraphs.forEach((node, i) => shown[i] !== node && shown[i].replaceWith(node));
    this.observer.takeRecords(); // our own changes are not an input method's
    this.highlight(this.focusedId);
    if (caret && document.activeElement === this.node) this.setSelection(caret.start, caret.end);
  }

  renderParagraph(blockStart, blockEnd, number, inside) {
    const node = element("p", { className: "ak-par", "data-para": String(number) });
    const segments = [];
    const cuts = new Set([blockStart, blockEnd]);
    for (const s of inside) {
      if (s.start > blockStart) cuts.add(s.start);
      if (s.end < blockEnd) cuts.add(s.end);
    }
    const points = [...cuts].sort((a, b) => a - b);
    for (let i = 0; i + 1 < points.length; i += 1) {
      const [a, b] = [points[i], points[i + 1]];
      const run = element("span", { className: "ak-run", "data-start": String(a) }, this.text.slice(a, b));
      segments.push({ start: a, end: b, node: run });
      let piece = run;
      const layers = covering(inside, a, b);
      for (let depth = layers.length - 1; depth >= 0; depth -= 1) {
        const span = layers[depth];
        const mark = element("mark", {
          className: `ak-mark ak-c${this.colorOf(span.label)}`,
          "data-label": span.label,
          "data-annotation-id": span.id,
          "data-depth": String(Math.min(depth, 2)),
          title: span.caption,
        });
        if (b === span.end || b === blockEnd) {
          // The visible label sits after the tag's last piece in each paragraph (CSS ::after: never selected).
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

  highlight(id) {
    this.focusedId = id;
    for (const mark of this.node.querySelectorAll("mark.ak-focused")) mark.classList.remove("ak-focused");
    if (!id) return;
    for (const mark of this.node.querySelectorAll(`mark[data-annotation-id="${CSS.escape(id)}"]`)) {
      mark.classList.add("ak-focused");
    }
  }

  scrollTo(id) {
    const mark = this.node.querySelector(`mark[data-annotation-id="${CSS.escape(id)}"]`);
    if (!mark) return;
    // Scroll the text box only (scrollIntoView would also scroll the notebook).
    const box = this.node.getBoundingClientRect();
    const where = mark.getBoundingClientRect();
    if (where.top < box.top || where.bottom > box.bottom) {
      this.node.scrollTop += where.top - box.top - box.height / 3;
    }
  }

  // --- offsets <-> DOM ---------------------------------------------------------------------------------

  // The article offset of a DOM boundary point; a point between runs (paragraph gaps) goes to the next run.
  pointToOffset(node, offset) {
    if (node.nodeType === Node.TEXT_NODE && node.parentElement?.classList.contains("ak-run")) {
      const start = Number(node.parentElement.dataset.start);
      return start + Math.min(offset, node.data.length);
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
    if (!this.node.contains(range.commonAncestorContainer)) return null;
    const start = this.pointToOffset(range.startContainer, range.startOffset);
    const end = this.pointToOffset(range.endContainer, range.endOffset);
    return { start: Math.min(start, end), end: Math.max(start, end), collapsed: range.collapsed || start === end };
  }

  setSelection(start, end) {
    const from = this.offsetToPoint(start);
    const to = this.offsetToPoint(end);
    if (!from || !to) return;
    window.getSelection().setBaseAndExtent(from[0], from[1], to[0], to[1]);
  }

  // The innermost tag at an offset. A caret just after a tag counts as in it, so Delete right after tagging
  // removes what was just tagged and Enter opens its form.
  tagAt(at) {
    const spans = (this.spans || []).filter((s) => s.start <= at && at <= s.end);
    spans.sort((a, b) => (a.end === at) - (b.end === at) || a.end - a.start - (b.end - b.start));
    return spans.length ? spans[0] : null;
  }
}
