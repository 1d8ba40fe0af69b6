// Waymark web chat. Posts to the REST webhook and shows the replies.
// The conversation id and transcript live in this browser only (localStorage, no cookies),
// so a reload keeps the conversation; "Quick exit" and "Delete" clear them.
// Once the conversation has started, a helpline worker's lines (during a handover) arrive
// live from the updates stream; the last line's id is remembered so a reload neither loses
// nor repeats them.
// The id comes from the server (POST /webhooks/rest/conversations: random and signed), asked
// for once and then kept. If the server can't give one, the page makes its own random id, which
// the server takes unless it requires signed ids; then the page asks again when it sends.
(function () {
  "use strict";
  var KEYS = { sender: "waymark.sender", signed: "waymark.signed", transcript: "waymark.transcript",
               lastLine: "waymark.lastLine" };
  var RECONNECT_MS = 1000;
  var MAX_RECONNECT_MS = 30000;
  var log = document.getElementById("log");
  var form = document.getElementById("composer");
  var input = document.getElementById("message");
  var typing = document.getElementById("typing");
  var transcript = load();
  var sender = localStorage.getItem(KEYS.sender) || newSender();
  var asking = null; // the request for a server-issued id, while it is under way
  var updates = null; // the EventSource for worker lines
  var reconnectTimer = null;
  var failures = 0; // stream openings that failed in a row

  function keepSender(id, signed) {
    sender = id;
    localStorage.setItem(KEYS.sender, id);
    if (signed) { localStorage.setItem(KEYS.signed, "1"); } else { localStorage.removeItem(KEYS.signed); }
  }

  // Resolves once the page has the id it will use: the server's, or (the server can't be
  // reached, or gave none) its own. A conversation already under way keeps its own id unless
  // the server says it only takes ids it issued: changing it would lose the conversation.
  // `again`: a message was refused for its id (the page's own, or one signed with a key the
  // server no longer has): ask even if this page has asked before.
  function ready(again) {
    if (again) { localStorage.removeItem(KEYS.signed); }
    if (localStorage.getItem(KEYS.signed) === "1") { return Promise.resolve(true); }
    if (asking) { return asking; }
    if (ready.asked && !again) { return Promise.resolve(false); }
    ready.asked = true;
    var started = !!transcript.length;
    asking = fetch("/webhooks/rest/conversations", { method: "POST" }).then(function (res) {
      if (!res.ok) { throw new Error("no id"); }
      return res.json();
    }).then(function (body) {
      if (!body || typeof body.sender !== "string" || !/^[A-Za-z0-9_-]{1,128}$/.test(body.sender)) { return false; }
      if (started && !body.required) { return false; }
      keepSender(body.sender, true);
      return true;
    }).catch(function () { return false; }).then(function (signed) { asking = null; return signed; });
    return asking;
  }

  function newSender() {
    // 128 random bits from the browser's secure generator. (crypto.randomUUID exists only on
    // HTTPS pages and localhost; getRandomValues everywhere. A clock-and-Math.random id could
    // be guessed, and the id is all that stands between a stranger and this conversation.)
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    var id = Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
    localStorage.setItem(KEYS.sender, id);
    localStorage.removeItem(KEYS.signed);
    return id;
  }

  function load() {
    try { return JSON.parse(localStorage.getItem(KEYS.transcript)) || []; } catch (e) { return []; }
  }

  function remember(entry) {
    if (entry.cards) { entry = { who: "bot", cards: entry.cards.map(plainCard) }; }
    else if (entry.name) { entry = { who: entry.who, text: entry.text, name: entry.name }; }
    transcript.push(entry);
    localStorage.setItem(KEYS.transcript, JSON.stringify(transcript.slice(-200)));
  }

  function forgetLocally() {
    localStorage.removeItem(KEYS.sender);
    localStorage.removeItem(KEYS.signed);
    localStorage.removeItem(KEYS.transcript);
    localStorage.removeItem(KEYS.lastLine);
    transcript = [];
  }

  // --- service cards (the reply's `custom` payload: {"cards": [...]}, actions/cards.py) ---
  // Every value is shown with textContent; a link is used only if it has the scheme we expect.

  var LINKS = { tel: /^tel:\+?[0-9]{3,15}$/, sms: /^sms:\+?[0-9]{3,15}$/,
                directions: /^https:\/\/www\.openstreetmap\.org\/search\?query=[A-Za-z0-9%]+$/ };
  var STRINGS = ["id", "name", "distance", "status", "opens", "phone", "tel", "text_number", "sms", "address",
                 "postcode", "directions", "hours", "checked"];

  function plainCard(c) {
    // What is kept in this browser for a reload: the words and links, not the buttons.
    var out = { open_now: !!c.open_now, sample: !!c.sample };
    STRINGS.forEach(function (k) { if (typeof c[k] === "string") { out[k] = c[k]; } });
    return out;
  }

  // Scroll the conversation box only (never the page: the quick exit stays where it is), to
  // its end, or with `el` at its top.
  function reveal(el, atTop) {
    log.scrollTop = atTop && el ? Math.max(0, el.offsetTop - 4) : log.scrollHeight;
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text) { el.textContent = text; }
    return el;
  }

  function link(href, kind, text, label) {
    if (typeof href !== "string" || !LINKS[kind].test(href)) { return null; }
    var a = element("a", "card-link " + kind, text);
    a.href = href;
    if (label) { a.setAttribute("aria-label", label); }
    if (kind === "directions") { a.target = "_blank"; a.rel = "noopener noreferrer"; }
    return a;
  }

  function showCard(c, live) {
    var card = element("article", "card");
    var name = String(c.name || "");
    card.setAttribute("aria-label", name);
    var head = element("div", "card-head");
    head.appendChild(element("h2", "card-name", name));
    var badge = element("span", "badge " + (c.open_now ? "open" : "closed"), String(c.status || (c.open_now ? "Open now" : "Closed now")));
    head.appendChild(badge);
    card.appendChild(head);
    var facts = [c.distance, c.opens].filter(function (v) { return typeof v === "string" && v; });
    if (facts.length) { card.appendChild(element("p", "card-facts", facts.join(" · "))); }
    var actions = element("p", "card-actions");
    // The accessible name starts with the words shown ("Call 0113 496 0100"), then says whom.
    [link(c.tel, "tel", "Call " + (c.phone || ""), "Call " + (c.phone || "") + ", " + name),
     link(c.sms, "sms", "Text " + (c.text_number || ""), "Text " + (c.text_number || "") + ", " + name)]
      .forEach(function (a) { if (a) { actions.appendChild(a); } });
    if (actions.childNodes.length) { card.appendChild(actions); }
    if (typeof c.address === "string" && c.address) {
      var where = element("p", "card-address", c.address + " ");
      var map = link(c.directions, "directions", "Directions", "Directions to " + name + " (opens a map in a new tab)");
      if (map) { where.appendChild(map); }
      card.appendChild(where);
    }
    if (typeof c.hours === "string" && c.hours) { card.appendChild(element("p", "card-hours", c.hours)); }
    if (typeof c.checked === "string" && c.checked) { card.appendChild(element("p", "card-checked", c.checked)); }
    if (c.sample) { card.appendChild(element("p", "card-checked", "Sample listing for the demo, not a real service.")); }
    var buttons = (live && Array.isArray(c.buttons)) ? c.buttons.filter(function (b) {
      return b && typeof b.title === "string" && typeof b.payload === "string";
    }) : [];
    if (buttons.length) {
      var wrap = element("div", "choices card-buttons");
      wrap.setAttribute("role", "group");
      wrap.setAttribute("aria-label", "Next steps for " + name);
      buttons.forEach(function (b) {
        var btn = element("button", null, b.title);
        btn.type = "button";
        btn.addEventListener("click", function () { send(b.payload, b.title); });
        wrap.appendChild(btn);
      });
      card.appendChild(wrap);
    }
    return card;
  }

  function showCards(entry) {
    var hadFocus = false;
    if (entry.live) {  // the buttons of an older listing would now be about another service
      Array.prototype.forEach.call(log.querySelectorAll(".card-buttons"), function (el) {
        hadFocus = hadFocus || el.contains(document.activeElement);
        el.remove();
      });
    }
    var list = element("div", "msg bot cards");
    list.appendChild(element("span", "who", "Waymark"));
    entry.cards.forEach(function (c) { if (c && typeof c === "object") { list.appendChild(showCard(c, entry.live)); } });
    log.appendChild(list);
    reveal();
    if (hadFocus) {  // a keyboard user who pressed "Another option" stays with the new listing's steps
      var next = list.querySelector(".card-buttons button");
      (next || input).focus();
    }
  }

  function show(entry) {
    if (Array.isArray(entry.cards)) { showCards(entry); return; }
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
    reveal();
  }

  function add(entry) {
    remember(entry.cards ? { cards: entry.cards } : { who: entry.who, text: entry.text, name: entry.name });
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
    if (asking) { asking.then(listen); return; } // listen under the id the page is getting
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

  var CANT_CONNECT = "Sorry, I can't connect right now. If you need help now, ring NHS 111, or 999 in an emergency.";
  var NO_PRIVATE_ID = "Sorry, I can't start a private conversation with the server right now. Please try again " +
    "in a minute. If you need help now, ring NHS 111, or 999 in an emergency.";
  var pending = null; // a message that could not be sent: {message, shown, typed}

  function showRetry(failed) {
    pending = failed;
    var wrap = element("div", "choices retry");
    wrap.setAttribute("role", "group");
    wrap.setAttribute("aria-label", "Not sent");
    var btn = element("button", null, "Try sending it again");
    btn.type = "button";
    btn.addEventListener("click", function () { retry(); });
    wrap.appendChild(btn);
    log.appendChild(wrap);
    reveal();
    // The words typed are never lost: they go back in the box unless something new is there.
    if (failed.typed && !input.value) { input.value = failed.message; }
  }

  function retry() {
    var failed = pending;
    if (!failed) { return; }
    pending = null;
    Array.prototype.forEach.call(log.querySelectorAll(".retry"), function (el) { el.remove(); });
    if (failed.typed && input.value === failed.message) { input.value = ""; }
    send(failed.message, failed.shown, { again: true, typed: failed.typed });
  }

  function post(message) {
    return fetch("/webhooks/rest/webhook", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: sender, message: message })
    });
  }

  // The server's 422 for an id it did not issue, when it takes only ids it issued.
  function refusedForId(res) {
    return res.status === 422 && res.headers.get("Waymark-Refusal") === "conversation-id";
  }

  function send(message, shown, how) {
    how = how || {};
    if (!how.again) { add({ who: "user", text: shown || message }); }
    typing.hidden = false;
    return ready().then(function () {
      listen();
      return post(message);
    }).then(function (res) {
      if (!refusedForId(res)) { return res; }
      // This server takes only ids it issued, and this one is not (the page made it when the
      // server could not give one, or the server's key has changed). Ask again and send under
      // the new id: the refused message was not taken, so it is not sent twice.
      return ready(true).then(function (signed) {
        if (!signed) { return null; }
        stopListening();
        listen();
        return post(message);
      });
    }).then(function (res) {
      if (!res || refusedForId(res)) {
        add({ who: "error", text: NO_PRIVATE_ID });
        showRetry({ message: message, shown: shown, typed: !!how.typed });
        return;
      }
      return res.json().then(function (body) {
        if (!res.ok) {
          add({ who: "error", text: (body && body.detail) || "Sorry, something went wrong. Please try again." });
          if (res.status >= 500) { showRetry({ message: message, shown: shown, typed: !!how.typed }); }
          return;
        }
        var firstCards = null;
        body.forEach(function (reply) {
          var cards = reply.custom && Array.isArray(reply.custom.cards) ? reply.custom.cards : null;
          if (reply.text) { add({ who: "bot", text: reply.text, buttons: reply.buttons }); }
          else if (reply.buttons) { showChoices(reply.buttons); }
          if (cards && cards.length) { add({ cards: cards }); firstCards = firstCards || log.lastElementChild; }
        });
        // A listing: its card's name and call link are what the person needs first, so they
        // are what is in view; the rest of the answer is just below.
        if (firstCards) { reveal(firstCards, true); }
      });
    }).catch(function () {
      add({ who: "error", text: CANT_CONNECT });
      showRetry({ message: message, shown: shown, typed: !!how.typed });
    }).then(function () { typing.hidden = true; });
  }

  // Back online after a dropped connection: send what could not be sent, and listen again.
  window.addEventListener("online", function () {
    if (transcript.length) { listen(); }
    if (pending) { retry(); }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    send(text, null, { typed: true });
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
        ready.asked = false;
        ready(); // a new conversation: the server's id for it, if it gives one
        pending = null;
        log.textContent = "";
        add({ who: "bot", text: "Your conversation has been deleted, here and on our server." });
      })
      .catch(function () {
        add({ who: "error", text: "Sorry, I couldn't delete the conversation just now. Please try again." });
      });
  });

  transcript.forEach(show);
  ready();
  if (transcript.length) { listen(); }
  input.focus();
})();
