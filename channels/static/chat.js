// Waymark web chat: posts to the REST webhook and shows the replies.
// The conversation id lives in this browser only, so a reload keeps the same conversation.
(function () {
  "use strict";
  var log = document.getElementById("log");
  var form = document.getElementById("composer");
  var input = document.getElementById("message");
  var key = "waymark.sender";
  var sender = window.localStorage.getItem(key);
  if (!sender) {
    sender = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now()) + Math.random();
    window.localStorage.setItem(key, sender);
  }

  function add(text, who) {
    var div = document.createElement("div");
    div.className = "msg " + who;
    div.textContent = text;
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
    return div;
  }

  function addChoices(buttons) {
    var wrap = document.createElement("div");
    wrap.className = "choices";
    buttons.forEach(function (b) {
      var btn = document.createElement("button");
      btn.type = "button";
      btn.textContent = b.title;
      btn.addEventListener("click", function () { send(b.payload, b.title); wrap.remove(); });
      wrap.appendChild(btn);
    });
    log.appendChild(wrap);
  }

  function send(message, shown) {
    add(shown || message, "user");
    return fetch("/webhooks/rest/webhook", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: sender, message: message })
    }).then(function (res) {
      return res.json().then(function (body) {
        if (!res.ok) { add(body.detail || "Sorry, something went wrong. Please try again.", "bot error"); return; }
        body.forEach(function (reply) {
          if (reply.text) { add(reply.text, "bot"); }
          if (reply.buttons && reply.buttons.length) { addChoices(reply.buttons); }
        });
      });
    }).catch(function () {
      add("Sorry, I can't connect right now. If you need help now, ring NHS 111, or 999 in an emergency.", "bot error");
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    send(text);
  });
  input.focus();
})();
