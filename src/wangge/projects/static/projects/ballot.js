// The ballot's running count and total as the resident ticks projects; the server decides.
(function () {
  "use strict";
  const form = document.getElementById("ballot");
  if (!form) return;
  const out = document.getElementById("ballot-total");
  const boxes = Array.from(form.querySelectorAll("input[name=choices]"));
  const yuan = (fen) => "¥" + (fen / 100).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  function update() {
    const ticked = boxes.filter((b) => b.checked);
    const total = ticked.reduce((sum, b) => sum + Number(b.dataset.cost), 0);
    let text = "已选 " + ticked.length + " 项，合计 " + yuan(total);
    if (form.dataset.mode === "approval" && ticked.length > Number(form.dataset.max)) {
      text += "：最多选择 " + form.dataset.max + " 项";
    } else if (form.dataset.mode === "basket" && total > Number(form.dataset.budget)) {
      text += "：超过预算 " + yuan(Number(form.dataset.budget));
    } else if (form.dataset.mode === "basket" && total < Number(form.dataset.least)) {
      text += "：不低于 " + yuan(Number(form.dataset.least));
    }
    out.textContent = text;
    out.hidden = false;
  }
  boxes.forEach((b) => b.addEventListener("change", update));
  update();
})();
