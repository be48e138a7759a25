// The back-office shell: the side menu folds into a drawer on a phone, and file pickers speak
// Chinese whatever the browser's language. No framework; without script the menu stays open
// above the page and file inputs are the browser's own.
(function () {
  "use strict";

  function setUpDrawer() {
    var button = document.getElementById("menu-toggle");
    var menu = document.getElementById("shell-menu");
    if (!button || !menu) return;
    document.body.classList.add("drawer-ready");
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      document.body.classList.toggle("drawer-open", open);
    }
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });
  }

  function describe(input, name) {
    var files = input.files;
    if (!files || files.length === 0) { name.textContent = "未选择文件"; return; }
    name.textContent = files.length === 1 ? files[0].name : "已选择 " + files.length + " 个文件";
  }

  function setUpFilePickers() {
    var inputs = document.querySelectorAll('main input[type="file"]:not([data-plain])');
    Array.prototype.forEach.call(inputs, function (input) {
      if (input.closest(".file-pick")) return;
      var wrap = document.createElement("span");
      wrap.className = "file-pick";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "file-pick-button";
      button.textContent = input.multiple ? "选择文件（可多选）" : "选择文件";
      var name = document.createElement("span");
      name.className = "file-pick-name";
      name.setAttribute("aria-live", "polite");
      input.parentNode.insertBefore(wrap, input);
      wrap.appendChild(input);
      wrap.appendChild(button);
      wrap.appendChild(name);
      input.classList.add("file-pick-input");
      input.tabIndex = -1;  // the button is the control; the label still opens the picker
      button.addEventListener("click", function () { input.click(); });
      input.addEventListener("change", function () { describe(input, name); });
      describe(input, name);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpDrawer();
    setUpFilePickers();
  });
})();
