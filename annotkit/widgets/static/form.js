// The tagger's form: the fields of the tag under the caret, or of the next tag ("Next tag"), read from the
// scheme. Choices wait a moment before they are saved, so arrowing through a row of chips saves only the one the
// student stops on; leaving the form (Tab out, Esc, a click elsewhere) saves what it shows.

class TagForm {
  constructor(view) {
    this.view = view;
    this.target = null; // the tag the form edits; null: the values the next tag gets
    this.controls = new Map();
    this.pending = new PendingChanges((changes) => {
      if (this.target) this.view.send({ event: "edit", id: this.target.id, changes }, { flush: false });
      else this.view.send({ event: "next", changes }, { flush: false });
    });
    this.node = element("section", { className: "ak-form", "data-annotkit": "form", "aria-label": "Tag details" });
    this.head = element("div", { className: "ak-form-head", "data-annotkit": "form-title" });
    this.body = element("div", { className: "ak-form-body" });
    this.hint = element("p", { className: "ak-form-hint" });
    this.node.append(this.head, this.body, this.hint);
    this.node.addEventListener("keydown", (event) => this.onKeydown(event));
    this.node.addEventListener("ak-next", (event) => this.next(event.target));
    // Leaving the form saves what it shows.
    this.node.addEventListener("focusout", (event) => {
      if (!this.node.contains(event.relatedTarget)) this.flush();
    });
  }

  build(fields) {
    this.fields = fields;
    this.controls.clear();
    const nodes = [];
    for (const field of fields) {
      const title = field.required ? `${field.title} *` : field.title;
      let control;
      if (field.kind === "choice") {
        control = new ChoiceGroup({
          title,
          name: field.name,
          help: field.help,
          choices: field.choices,
          onChange: (value) => this.change(field.name, value, CHOICE_WAIT),
        });
      } else if (field.kind === "note") {
        control = new TextBox({
          title,
          name: field.name,
          help: field.help,
          placeholder: field.placeholder || "",
          rows: 2,
          onCommit: (value) => this.change(field.name, value, 0),
        });
      } else {
        // "speaker": one of your actors or the journalist; "suggest": any name, with your actors suggested;
        // "text": any text.
        control = new Combobox({
          title,
          name: field.name,
          help: field.help,
          placeholder: field.placeholder || "",
          strict: field.kind === "speaker",
          onCommit: (value, problem) => {
            if (value === null) this.view.say(`“${problem}” is not one of your actors. ${field.hint || ""}`, "error");
            else this.change(field.name, value, 0);
          },
        });
      }
      control.field = field;
      this.controls.set(field.name, control);
      nodes.push(control.el);
    }
    this.body.replaceChildren(...nodes);
    this.refreshOptions();
  }

  refreshOptions() {
    const entities = this.view.book.extra.entities || [];
    for (const control of this.controls.values()) {
      const field = control.field;
      if (field.kind === "speaker") control.setOptions([...(field.fixed || []), ...entities]);
      else if (field.kind === "suggest") control.setOptions(entities);
    }
  }

  // Show a tag's values, or (target null) the values the next tag will get.
  show(target) {
    const changedTarget = (target?.id ?? null) !== (this.target?.id ?? null);
    if (changedTarget) this.flush();
    this.target = target;
    const values = target ? { ...(target.values || {}), note: target.note || "" } : this.view.nextValues();
    for (const [name, control] of this.controls) {
      if (!changedTarget && this.pending.has(name)) continue; // still to be saved: keep what the student chose
      control.set(values[name] ?? "");
    }
    this.head.replaceChildren();
    if (target) {
      const label = this.view.labelById(target.label);
      this.head.append(
        element("span", { className: "ak-form-mode" }, "Editing"),
        element("span", { className: `ak-badge ak-c${label?.color ?? 0}` }, label?.name ?? target.label),
        element("span", { className: "ak-form-words" }, `“${target.text}”`),
      );
      this.hint.textContent = "Changes are saved at once. Esc: back to the text.";
      this.node.classList.add("ak-editing");
    } else {
      this.head.append(
        element("span", { className: "ak-form-mode" }, "Next tag"),
        element("span", { className: "ak-form-words" }, "these values go to the words you tag next"),
      );
      this.hint.textContent = "Put the caret in a tag (or pick it in the list) to edit it. Esc: back to the text.";
      this.node.classList.remove("ak-editing");
    }
  }

  change(name, value, wait) {
    this.pending.add(name, value, wait);
  }

  flush() {
    for (const control of this.controls.values()) control.flush?.(); // a text box still waiting to save
    this.pending.flush();
  }

  focusFirst() {
    const controls = [...this.controls.values()];
    // The first field still empty that the layer needs, else the first field.
    const values = this.target ? this.target.values || {} : this.view.nextValues();
    const needed = controls.find((c) => c.field.required && !values[c.field.name]);
    (needed || controls[0])?.focus();
  }

  next(from) {
    const controls = [...this.controls.values()];
    const at = controls.findIndex((c) => c.contains(from));
    if (at >= 0 && at + 1 < controls.length) controls[at + 1].focus();
  }

  onKeydown(event) {
    if (event.key === "Escape") {
      event.preventDefault();
      this.flush();
      this.view.backToText();
    } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      this.flush();
      this.view.backToText();
    } else if (event.key === "Enter" && event.target.getAttribute("role") === "radio") {
      event.preventDefault();
      this.flush();
      this.next(event.target);
    } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "z" && event.target.tagName === "BUTTON") {
      event.preventDefault(); // in a text box Ctrl+Z undoes typing; on the chips it undoes the last change
      this.flush();
      this.view.send({ event: "undo" });
    }
  }
}
