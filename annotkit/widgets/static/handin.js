// annotkit's hand-in widget: the student's name (asked once), one button, the message, a download link, and
// "Restore my work from a file". The download link is made here from the file's bytes (a Blob), so it works in
// JupyterLab, Notebook 7 and Voilà, with no file server behind it.

class HandInView {
  constructor(model, el) {
    this.model = model;
    this.url = null;
    this.editing = false;
    const root = element("div", { className: "ak-root ak-handin", "data-annotkit": "handin" });
    guardKeys(root);
    const head = element("div", { className: "ak-handin-head" });
    head.append(element("strong", {}, "Hand in your work"));
    this.nameRow = element("div", { className: "ak-name-row" });
    const nameId = uniqueId("ak-name");
    this.nameInput = element("input", {
      id: nameId,
      type: "text",
      className: "ak-input",
      autocomplete: "name",
      placeholder: "Your first and last name",
      maxlength: "120",
      "data-annotkit-field": "name",
    });
    this.nameLabel = element("label", { for: nameId, className: "ak-field-label" }, "Your name");
    this.nameShown = element("span", { className: "ak-name-shown" });
    this.change = element("button", { type: "button", className: "ak-link-button", "data-annotkit": "change-name" }, "Not you? Change");
    this.change.addEventListener("click", () => {
      this.editing = true;
      this.renderName();
      this.nameInput.focus();
    });
    this.button = element("button", { type: "button", className: "ak-button ak-primary", "data-annotkit": "hand-in" }, "Hand in my work");
    this.button.addEventListener("click", () => this.handIn());
    this.nameInput.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        this.handIn();
      }
    });
    this.inbox = element("p", { className: "ak-handin-note" });
    this.receipt = element("div", { className: "ak-receipt", "data-annotkit": "receipt", hidden: true });
    this.status = statusLine();

    const restore = element("details", { className: "ak-restore", "data-annotkit": "restore" });
    const summary = element("summary", {}, "Restore my work from a file");
    this.file = element("input", { type: "file", accept: ".json,application/json", hidden: true, "data-annotkit": "restore-file" });
    this.pick = element("button", { type: "button", className: "ak-button", "data-annotkit": "restore-button" }, "Choose my hand-in file…");
    this.pick.addEventListener("click", () => this.file.click());
    this.file.addEventListener("change", () => this.restore());
    restore.append(
      summary,
      element(
        "p",
        { className: "ak-handin-note" },
        "New session (Binder, another computer)? Choose the .json file you downloaded when you handed in: your tags, " +
          "notes and answers come back. Nothing you have now is replaced.",
      ),
      this.pick,
      this.file,
    );

    const actions = element("div", { className: "ak-handin-actions" });
    actions.append(this.nameRow, this.button);
    root.append(head, actions, this.inbox, this.status, this.receipt, restore);
    el.replaceChildren(root);
    this.root = root;
    this.renderName();
    this.renderStatus();
    this.schedule();
  }

  renderName() {
    const name = this.model.get("student_name");
    this.nameRow.replaceChildren();
    if (name && !this.editing) {
      this.nameShown.replaceChildren(document.createTextNode("Handing in as "), element("strong", {}, name));
      this.nameRow.append(this.nameShown, this.change);
    } else {
      if (name && !this.nameInput.value) this.nameInput.value = name;
      this.nameRow.append(this.nameLabel, this.nameInput);
    }
    this.inbox.textContent = this.model.get("inbox")
      ? "A copy goes straight to your class's hand-in folder."
      : "You get a file to download and give to your teacher.";
    const minutes = this.model.get("auto_minutes");
    if (minutes > 0) {
      const every = minutes === 1 ? "every minute" : `every ${minutes} minutes`;
      const last = this.model.get("last_draft");
      this.inbox.textContent += name
        ? ` While this notebook is open, a draft of your work also goes to your teacher ${every}` +
          (last ? ` (the last at ${last}).` : ".")
        : ` Your teacher follows the class as it works: once you have typed your name, a draft goes to them ${every}.`;
    }
  }

  // The teacher's live class view: ask Python for a draft every few minutes (it sends one only if the work changed).
  schedule() {
    clearInterval(this.timer);
    const minutes = this.model.get("auto_minutes");
    if (minutes > 0) this.timer = setInterval(() => this.model.send({ event: "auto_draft" }), minutes * 60_000);
  }

  handIn() {
    const typed = this.nameInput.isConnected ? this.nameInput.value.trim() : "";
    if (!typed && !this.model.get("student_name")) {
      showStatus(this.status, { text: "Type your name first: your teacher needs to know whose work it is.", kind: "error" });
      this.nameInput.focus();
      return;
    }
    this.button.disabled = true;
    this.button.textContent = "Handing in…";
    showStatus(this.status, { text: "Handing in…", kind: "info" });
    this.model.send({ event: "hand_in", name: typed || null });
  }

  restore() {
    const file = this.file.files?.[0];
    if (!file) return;
    showStatus(this.status, { text: `Reading “${file.name}”…`, kind: "info" });
    file.arrayBuffer().then(
      (bytes) => {
        this.model.send({ event: "restore", filename: file.name }, undefined, [bytes]);
        this.file.value = "";
      },
      () => showStatus(this.status, { text: `“${file.name}” could not be read. Try again, or choose another file.`, kind: "error" }),
    );
  }

  // The file, made into a link from the bytes Python sent.
  showReceipt(message, buffers) {
    this.button.disabled = false;
    this.button.textContent = "Hand in again";
    this.editing = false;
    this.renderName();
    if (this.url) URL.revokeObjectURL(this.url);
    const data = buffers && buffers[0];
    const blob = new Blob([data?.buffer ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : data], {
      type: "application/json",
    });
    this.url = URL.createObjectURL(blob);
    const link = element("a", { href: this.url, download: message.filename, className: "ak-button", "data-annotkit": "download" });
    link.append(element("span", { "aria-hidden": "true" }, "⬇"), document.createTextNode(` Download ${message.filename}`));
    this.receipt.replaceChildren(link);
    this.receipt.hidden = false;
    link.focus();
  }

  renderStatus() {
    const status = this.model.get("status") || {};
    showStatus(this.status, status);
    if (status.kind === "error") {
      this.button.disabled = false;
      this.button.textContent = "Hand in my work";
    }
  }

  destroy() {
    clearInterval(this.timer);
    if (this.url) URL.revokeObjectURL(this.url);
  }
}

export default {
  render({ model, el }) {
    const view = new HandInView(model, el);
    const onMessage = (message, buffers) => {
      if (message.kind === "receipt") view.showReceipt(message, buffers);
    };
    const onName = () => view.renderName();
    const onStatus = () => view.renderStatus();
    const onSchedule = () => {
      view.schedule();
      view.renderName();
    };
    model.on("msg:custom", onMessage);
    model.on("change:auto_minutes", onSchedule);
    model.on("change:last_draft", onName);
    model.on("change:student_name", onName);
    model.on("change:inbox", onName);
    model.on("change:status", onStatus);
    const unwatch = watchKernel(model, el, "the hand-in button");
    return () => {
      unwatch();
      model.off("msg:custom", onMessage);
      model.off("change:student_name", onName);
      model.off("change:inbox", onName);
      model.off("change:status", onStatus);
      model.off("change:auto_minutes", onSchedule);
      model.off("change:last_draft", onName);
      view.destroy();
    };
  },
};
