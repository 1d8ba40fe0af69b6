// Waymark web chat. Posts to the REST webhook and shows the replies.
// The conversation id and transcript live in this browser only (localStorage, no cookies),
// so a reload keeps the conversation; "Quick exit" and "Delete" clear them.
// Once the conversation has started, a helpline worker's lines (during a handover) arrive
// live from the updates stream; the last line's id is remembered so a reload neither loses
// nor repeats them.
(function () {
  "use strict";
  var KEYS = { sender: "waymark.sender", transcript: "waymark.transcript", lastLine: "waymark.lastLine" };
  var RECONNECT_MS = 1000;
  var MAX_RECONNECT_MS = 30000;
  var log = document.getElementById("log");
  var form = document.getElementById("composer");
  var input = document.getElementById("message");
  var typing = document.getElementById("typing");
  var transcript = load();
  var sender = localStorage.getItem(KEYS.sender) || newSender();
  var updates = null; // the EventSource for worker lines
  var reconnectTimer = null;
  var failures = 0; // stream openings that failed in a row

  function newSender() {
    // 128 random bits from the browser's secure generator. (crypto.randomUUID exists only on
    // HTTPS pages and localhost; getRandomValues everywhere. A clock-and-Math.random id could
    // be guessed, and the id is all that stands between a stranger and this conversation.)
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    var id = Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
    localStorage.setItem(KEYS.sender, id);
    return id;
  }

  function load() {
    try { return JSON.parse(localStorage.getItem(KEYS.transcript)) || []; } catch (e) { return []; }
  }

  function remember(entry) {
    if (entry.name) { entry = { who: entry.who, text: entry.text, name: entry.name }; }
    transcript.push(entry);
    localStorage.setItem(KEYS.transcript, JSON.stringify(transcript.slice(-200)));
  }

  function forgetLocally() {
    localStorage.removeItem(KEYS.sender);
    localStorage.removeItem(KEYS.transcript);
    localStorage.removeItem(KEYS.lastLine);
    transcript = [];
  }

  function show(entry) {
    var div = document.createElement("div");
    div.className = "msg " + entry.who;
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = ({ user: "You", bot: "Waymark", agent: "Helpline worker", error: "Waymark" }[entry.who] || "") +
      (entry.who === "agent" && entry.name ? " (" + entry.name + ")" : "");
    div.appendChild(who);
    div.appendChild(document.createTextNode(entry.text));
    log.appendChild(div);
    if (entry.buttons && entry.buttons.length && entry.live) { showChoices(entry.buttons); }
    log.scrollTop = log.scrollHeight;
  }

  function add(entry) {
    remember({ who: entry.who, text: entry.text, name: entry.name });
    entry.live = true;
    show(entry);
  }

  function showChoices(buttons) {
    var wrap = document.createElement("div");
    wrap.className = "choices";
    wrap.setAttribute("role", "group");
    wrap.setAttribute("aria-label", "Choices");
    buttons.forEach(function (b) {
      var btn = document.createElement("button");
      btn.type = "button";
      btn.textContent = b.title;
      btn.addEventListener("click", function () {
        wrap.remove();
        send(b.payload, b.title);
        input.focus();
      });
      wrap.appendChild(btn);
    });
    log.appendChild(wrap);
  }

  // --- a helpline worker's lines, live (server-sent events; the random sender id is the key) ---

  function lastLine() {
    var n = parseInt(localStorage.getItem(KEYS.lastLine), 10);
    return isNaN(n) ? 0 : n;
  }

  function listen() {
    if (updates || !window.EventSource) { return; }
    var url = "/webhooks/rest/conversations/" + encodeURIComponent(sender) + "/updates?after=" + lastLine();
    var source = new EventSource(url);
    updates = source;
    source.addEventListener("line", function (event) {
      var line;
      try { line = JSON.parse(event.data); } catch (e) { return; }
      if (!line || typeof line.id !== "number" || line.id <= lastLine()) { return; }
      localStorage.setItem(KEYS.lastLine, String(line.id));
      add({ who: line.who === "agent" ? "agent" : "bot", text: line.text, name: line.who === "agent" ? line.name : null,
            buttons: line.buttons });
    });
    source.addEventListener("open", function () { failures = 0; });
    source.addEventListener("error", function () {
      // The server ends each stream after a while by design. Reopen it ourselves, from the
      // last line shown, waiting longer each time it fails to open at all.
      if (updates !== source) { return; }
      source.close();
      updates = null;
      failures += 1;
      var wait = Math.min(RECONNECT_MS * Math.pow(2, failures - 1), MAX_RECONNECT_MS);
      reconnectTimer = setTimeout(function () { reconnectTimer = null; listen(); }, wait);
    });
  }

  function stopListening() {
    if (reconnectTimer) { clearTimeout(reconnectTimer); reconnectTimer = null; }
    if (updates) { updates.close(); updates = null; }
  }

  function send(message, shown) {
    add({ who: "user", text: shown || message });
    listen();
    typing.hidden = false;
    return fetch("/webhooks/rest/webhook", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: sender, message: message })
    }).then(function (res) {
      return res.json().then(function (body) {
        if (!res.ok) {
          add({ who: "error", text: (body && body.detail) || "Sorry, something went wrong. Please try again." });
          return;
        }
        body.forEach(function (reply) {
          if (reply.text) { add({ who: "bot", text: reply.text, buttons: reply.buttons }); }
          else if (reply.buttons) { showChoices(reply.buttons); }
        });
      });
    }).catch(function () {
      add({ who: "error", text: "Sorry, I can't connect right now. If you need help now, ring NHS 111, or 999 in an emergency." });
    }).then(function () { typing.hidden = true; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    send(text);
  });

  document.getElementById("quick-exit").addEventListener("click", function (event) {
    stopListening();
    forgetLocally();
    // replace(): the back button does not come back to this page.
    window.location.replace(event.currentTarget.getAttribute("data-exit-url"));
  });

  var confirmBox = document.getElementById("delete-confirm");
  var deleteButton = document.getElementById("delete");
  deleteButton.addEventListener("click", function () {
    confirmBox.hidden = false;
    document.getElementById("delete-yes").focus();
  });
  document.getElementById("delete-no").addEventListener("click", function () {
    confirmBox.hidden = true;
    deleteButton.focus();
  });
  document.getElementById("delete-yes").addEventListener("click", function () {
    fetch("/webhooks/rest/conversations/" + encodeURIComponent(sender), { method: "DELETE" })
      .then(function (res) {
        confirmBox.hidden = true;
        if (!res.ok) { throw new Error("delete failed"); }
        stopListening();
        forgetLocally();
        sender = newSender();
        log.textContent = "";
        add({ who: "bot", text: "Your conversation has been deleted, here and on our server." });
      })
      .catch(function () {
        add({ who: "error", text: "Sorry, I couldn't delete the conversation just now. Please try again." });
      });
  });

  transcript.forEach(show);
  if (transcript.length) { listen(); }
  input.focus();
})();
