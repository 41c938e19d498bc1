// annotkit's "Check my work": one button, a progress bar out of a total that never moves, and kind messages.
//
// Python does the checking (the key never reaches the browser): the button sends {event: "check"}, and the model's
// `found`, `total`, `debatable`, `unsure`, `messages` and `checked` come back. Every text is inserted as text,
// never as HTML.
//
// No key pressed in the widget reaches JupyterLab or Notebook 7. JupyterLab reads shortcuts as keydown bubbles up
// to the document, so stopping it at the root is enough there; Notebook 7 reads them on the way down (capture),
// before the widget sees the key. Lumino skips an element that carries `data-lm-suppress-shortcuts` and what is
// inside it, but it tries a shortcut's selector (".jp-Notebook.jp-mod-commandMode :focus:not(:read-write)") on the
// focused element first: so every element that can take the focus carries the attribute itself, not only the root.

function element(tag, attributes = {}, text = null) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "className") node.className = value;
    else node.setAttribute(name, value);
  }
  if (text !== null) node.textContent = text;
  return node;
}

const NOUNS = { actor: "actor mentions", claim: "claims", perspective: "stances" };

class CheckView {
  constructor(model, el) {
    this.model = model;
    this.el = el;
    this.waiting = false;
    this.build();
    this.render();
  }

  build() {
    const root = element("div", {
      className: "ak-check",
      "data-annotkit": "check",
      "data-lm-suppress-shortcuts": "true",
    });
    root.addEventListener("keydown", (event) => event.stopPropagation());
    const bar = element("div", { className: "ak-check-bar" });
    this.button = element("button", {
      type: "button",
      className: "ak-check-button",
      "data-annotkit": "check-button",
      "data-lm-suppress-shortcuts": "true",
    });
    this.button.addEventListener("click", () => this.check());
    this.meter = element("div", {
      className: "ak-meter",
      role: "progressbar",
      "aria-valuemin": "0",
      "data-annotkit": "progress",
    });
    this.fill = element("div", { className: "ak-meter-fill" });
    this.meter.append(this.fill);
    this.count = element("span", { className: "ak-count", "data-annotkit": "count" });
    bar.append(this.button, this.meter, this.count);
    this.scope = element("div", { className: "ak-scope" });
    this.status = element("div", { className: "ak-check-status", role: "status", "aria-live": "polite" });
    this.list = element("ul", { className: "ak-messages", "data-annotkit": "messages" });
    root.append(bar, this.scope, this.status, this.list);
    this.el.replaceChildren(root);
    this.root = root;
  }

  check() {
    if (this.waiting) return;
    this.waiting = true;
    this.render();
    this.model.send({ event: "check" });
  }

  render() {
    const m = this.model;
    const found = m.get("found");
    const total = m.get("total");
    const checked = m.get("checked");
    const noun = NOUNS[m.get("layer")] || "items";
    this.button.textContent = this.waiting ? "Checking…" : checked ? "Check again" : "Check my work";
    // Not `disabled`: a disabled button drops the focus to <body>, and the student's place with it.
    this.button.setAttribute("aria-disabled", String(this.waiting));
    this.button.setAttribute("aria-busy", String(this.waiting));
    this.meter.hidden = !checked;
    this.meter.setAttribute("aria-valuemax", String(Math.max(total, 1)));
    this.meter.setAttribute("aria-valuenow", String(Math.min(found, total)));
    this.meter.setAttribute("aria-label", `${noun} found`);
    this.fill.style.width = total ? `${Math.round((100 * Math.min(found, total)) / total)}%` : "0%";
    this.count.textContent = checked ? `${found} of ${total}` : "";
    this.count.title = checked ? `${found} of the ${total} ${noun} the key is sure of` : "";
    this.scope.textContent = m.get("scope") || "";
    const error = m.get("error");
    this.status.textContent = error;
    this.status.classList.toggle("ak-error", !!error);
    const messages = checked ? m.get("messages") || [] : [];
    const items = messages.map((message) =>
      element("li", { className: `ak-message ak-${message.kind}`, "data-kind": message.kind }, message.text),
    );
    if (!checked) {
      items.push(
        element(
          "li",
          { className: "ak-message ak-intro", "data-kind": "intro" },
          "Press the button to compare your tags with the answer key: you see how many you found and where to look next.",
        ),
      );
    }
    this.list.replaceChildren(...items);
  }
}

export default {
  render({ model, el }) {
    const view = new CheckView(model, el);
    const done = () => {
      view.waiting = false;
      view.render();
    };
    model.on("change:checked", done);
    const redraw = () => view.render();
    for (const name of ["found", "total", "messages", "scope", "error", "layer"]) {
      model.on(`change:${name}`, redraw);
    }
    const unwatch = watchKernel(model, el, "Check my work");
    return () => {
      unwatch();
      model.off("change:checked", done);
      for (const name of ["found", "total", "messages", "scope", "error", "layer"]) {
        model.off(`change:${name}`, redraw);
      }
    };
  },
};
