// The grid worker's "发放注册码" button: asks the API for a new one-time code and shows it once,
// on this page only (it is not stored in the page or the browser, and a new one voids it).
(function () {
  "use strict";

  function csrfToken() {
    var hidden = document.querySelector("input[name=csrfmiddlewaretoken]");
    return hidden ? hidden.value : "";
  }

  function show(button, text, code) {
    var out = button.nextElementSibling;
    out.textContent = text;
    if (code) {
      var strong = document.createElement("strong");
      strong.className = "code";
      strong.textContent = code.slice(0, 4) + " " + code.slice(4);
      out.appendChild(strong);
    }
  }

  function issue(button) {
    if (!window.confirm("为 " + button.dataset.name + " 发放注册码？之前发放且未使用的注册码将作废。")) { return; }
    button.disabled = true;
    fetch(button.dataset.url, {
      method: "POST", credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) { throw new Error(body.detail || ("错误 " + response.status)); }
        var until = new Date(body.expires_at).toLocaleString("zh-CN", { hour12: false });
        show(button, "注册码（当面交给居民本人，" + until + " 前有效，只能使用一次）：", body.code);
        button.textContent = "重新发放";
      });
    }).catch(function (error) {
      show(button, "发放失败：" + error.message, "");
    }).then(function () { button.disabled = false; });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.signup-code");
    if (button) { issue(button); }
  });
})();
