// annotkit's reflection box: a question and the student's answer, saved while they type and when they leave.

class ReflectionView {
  constructor(model, el) {
    this.model = model;
    this.seq = 0; // the last answer sent; Python says which one it saved
    const root = element("div", { className: "ak-root ak-reflection", "data-annotkit": "reflection" });
    guardKeys(root);
    this.box = new TextBox({
      title: null,
      name: "answer",
      placeholder: "Write your answer here. It is saved as you type.",
      rows: 4,
      wait: 800,
      onCommit: (text) => this.save(text),
    });
    const id = uniqueId("ak-question");
    this.box.area.id = id;
    const question = element("label", { className: "ak-question", for: id }, model.get("question"));
    this.status = element("div", { className: "ak-saved", role: "status", "aria-live": "polite", "data-annotkit": "status" });
    root.append(question, this.box.el, this.status);
    el.replaceChildren(root);
    this.question = question;
    this.box.set(model.get("answer"));
    this.box.area.addEventListener("input", () => this.showState("Not saved yet…", "pending"));
    // Coming back to the box: show an answer saved meanwhile in another notebook (unless typing here).
    root.addEventListener("focusin", (event) => {
      if (!root.contains(event.relatedTarget) && !this.box.save.isPending()) this.model.send({ event: "sync" });
    });
    this.renderStatus();
  }

  save(text) {
    this.seq += 1;
    this.showState("Saving…", "pending");
    this.model.send({ event: "save", text, seq: this.seq });
  }

  showState(text, kind) {
    this.status.textContent = text;
    this.status.dataset.kind = kind;
  }

  renderStatus() {
    const status = this.model.get("status") || {};
    if (!status.text) return;
    if (status.kind === "error") this.showState(status.text, "error");
    else if (status.seq === this.seq || this.seq === 0) this.showState(status.text, "ok");
  }
}

export default {
  render({ model, el }) {
    const view = new ReflectionView(model, el);
    const onAnswer = () => view.box.set(model.get("answer"));
    const onQuestion = () => (view.question.textContent = model.get("question"));
    const onStatus = () => view.renderStatus();
    model.on("change:answer", onAnswer);
    model.on("change:question", onQuestion);
    model.on("change:status", onStatus);
    const unwatch = watchKernel(model, el, "the question and your answer");
    return () => {
      unwatch();
      view.box.flush();
      model.off("change:answer", onAnswer);
      model.off("change:question", onQuestion);
      model.off("change:status", onStatus);
    };
  },
};
