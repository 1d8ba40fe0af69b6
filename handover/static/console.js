// Waymark helpline console: the queue, live, and one conversation at a time.
// The sign-in token lives in this tab's sessionStorage (never a cookie) and goes out as
// "Authorization: Bearer …". Live updates are server-sent events read with fetch(), because
// EventSource cannot send that header; the stream ends every 25 s and is reopened from the
// last event id, so nothing is missed or shown twice.
(function () {
  "use strict";
  var KEY = "waymark.console";
  var RETRY_MS = 1000;
  var MAX_RETRY_MS = 15000;
  var WHO = { person: "Person", assistant: "Waymark (assistant)", agent: "Helpline worker", note: "Private note" };
  var CHANNELS = { rest: "Web chat", twilio_sms: "Text message", twilio_voice: "Phone call" };

  var $ = function (id) { return document.getElementById(id); };
  var auth = loadAuth();
  var lastEventId = null;
  var stream = null; // { controller }
  var retryTimer = null;
  var retryMs = RETRY_MS;
  var queue = { waiting: [], active: [], callbacks: [] };
  var known = null; // ids of waiting conversations already seen, for "someone new is waiting"
  var openId = null; // the conversation shown on the right
  var shownLines = {};

  // --- signing in ---------------------------------------------------------------------------

  function loadAuth() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(KEY));
      if (saved && saved.token && new Date(saved.expiresAt) > new Date()) { return saved; }
    } catch (e) { /* nothing usable saved */ }
    sessionStorage.removeItem(KEY);
    return null;
  }

  function problem(text) {
    var box = $("problem");
    box.textContent = text || "";
    box.hidden = !text;
  }

  function signedOut(message) {
    stopStream();
    auth = null;
    sessionStorage.removeItem(KEY);
    openId = null;
    known = null;
    lastEventId = null;
    $("main").hidden = true;
    $("account").hidden = true;
    liveState("Connecting…");
    $("sign-in").hidden = false;
    $("conversation").hidden = true;
    $("password").value = "";
    problem(message);
    $("username").focus();
  }

  function signedIn() {
    $("account-name").textContent = auth.name;
    $("account").hidden = false;
    $("sign-in").hidden = true;
    $("main").hidden = false;
    problem("");
    api("GET", "/console/api/queue").then(function (body) { showQueue(body); }, function () {});
    startStream();
  }

  $("sign-in-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = new URLSearchParams();
    form.set("username", $("username").value.trim());
    form.set("password", $("password").value);
    problem("");
    fetch("/auth/token", { method: "POST", body: form, cache: "no-store" }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (body) {
        if (res.status === 401) { throw new Error("That name or password is wrong. Please try again."); }
        if (res.status === 429) {
          throw new Error(body.detail || "Too many wrong passwords. Please wait 15 minutes and try again.");
        }
        if (!res.ok) { throw new Error(detail(body) || "Sorry, signing in failed. Please try again."); }
        if (body.role !== "agent" && body.role !== "admin") {
          throw new Error("This account can't use the helpline console. It needs the agent role.");
        }
        // this browser's clock plus the token's lifetime: a PC set to the wrong date still works
        auth = { token: body.access_token, name: body.name, role: body.role,
                 expiresAt: new Date(Date.now() + body.expires_in * 1000).toISOString() };
        sessionStorage.setItem(KEY, JSON.stringify(auth));
        $("password").value = "";
        signedIn();
        $("queue-heading").focus();
      });
    }).catch(function (e) {
      $("password").value = "";
      problem(e.message === "Failed to fetch" ? "Can't reach Waymark. Check your connection." : e.message);
      $("password").focus();
    });
  });

  $("sign-out").addEventListener("click", function () {
    // The server forgets the token too, so a copy of it is no use to anyone.
    if (auth && auth.token) {
      fetch("/auth/sign-out", { method: "POST", headers: { Authorization: "Bearer " + auth.token },
                                cache: "no-store" }).catch(function () { /* signed out here anyway */ });
    }
    signedOut("You have signed out.");
  });

  // --- talking to the API --------------------------------------------------------------------

  function detail(body) {
    if (!body || !body.detail) { return ""; }
    if (typeof body.detail === "string") { return body.detail; }
    if (Array.isArray(body.detail)) {
      return body.detail.map(function (d) { return d.msg; }).join(" ");
    }
    return "";
  }

  // Resolves with the parsed body; rejects with an Error whose .status is the HTTP status.
  // A 401 (token expired or revoked) signs the worker out with a message.
  function api(method, path, body) {
    var headers = { Authorization: "Bearer " + (auth && auth.token) };
    if (body !== undefined) { headers["Content-Type"] = "application/json"; }
    return fetch(path, {
      method: method, headers: headers, cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (res) {
      if (res.status === 204) { return null; }
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (res.ok) { return data; }
        if (res.status === 401) { signedOut("Your sign-in has ended. Please sign in again."); }
        var err = new Error(messageFor(res.status, data));
        err.status = res.status;
        throw err;
      });
    }, function () {
      var err = new Error("Can't reach Waymark. Check your connection and try again.");
      err.status = 0;
      throw err;
    });
  }

  function messageFor(status, body) {
    var said = detail(body);
    if (status === 403) { return said || "Your account is not allowed to do that."; }
    if (status === 429) { return said || "Too many requests. Please wait a moment and try again."; }
    if (status === 422) { return "Please check what you typed. " + said; }
    return said || "Sorry, that didn't work. Please try again.";
  }

  // --- live updates ----------------------------------------------------------------------------

  function liveState(text) { $("live-state").textContent = text; }

  function stopStream() {
    if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
    if (stream) { stream.controller.abort(); stream = null; }
  }

  function scheduleStream(wait) {
    if (!auth) { return; }
    if (retryTimer) { clearTimeout(retryTimer); }
    retryTimer = setTimeout(function () { retryTimer = null; startStream(); }, wait);
  }

  function startStream() {
    if (!auth) { return; }
    if (stream) { stream.controller.abort(); }
    var mine = { controller: new AbortController() };
    stream = mine;
    var url = "/console/api/events" + (lastEventId !== null ? "?after=" + encodeURIComponent(lastEventId) : "");
    fetch(url, {
      headers: { Authorization: "Bearer " + auth.token, Accept: "text/event-stream" },
      cache: "no-store", signal: mine.controller.signal
    }).then(function (res) {
      if (res.status === 401) { signedOut("Your sign-in has ended. Please sign in again."); return; }
      if (res.status === 403) { problem("This account can't see the queue. It needs the agent role."); return; }
      if (!res.ok || !res.body) { throw new Error("stream " + res.status); }
      liveState("Live: the queue updates by itself.");
      retryMs = RETRY_MS;
      return readEvents(res.body.getReader(), mine);
    }).then(function () {
      // The server closes the stream now and then by design: open it again at once.
      if (stream === mine) { stream = null; scheduleStream(RETRY_MS); }
    }, function (e) {
      if (e && e.name === "AbortError") { return; }
      if (stream !== mine) { return; }
      stream = null;
      liveState("Reconnecting to live updates…");
      scheduleStream(retryMs);
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    });
  }

  function readEvents(reader, mine) {
    var decoder = new TextDecoder();
    var buffer = "";
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done || stream !== mine) { return; }
        buffer += decoder.decode(chunk.value, { stream: true });
        var blocks = buffer.split(/\r?\n\r?\n/);
        buffer = blocks.pop();
        blocks.forEach(handleBlock);
        return pump();
      });
    }
    return pump();
  }

  // One server-sent event: "id:", "event:", "data:" lines (data may span several lines).
  function handleBlock(block) {
    var kind = "message";
    var id = null;
    var data = [];
    block.split(/\r?\n/).forEach(function (line) {
      if (!line || line.charAt(0) === ":") { return; }
      var colon = line.indexOf(":");
      var field = colon < 0 ? line : line.slice(0, colon);
      var value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") { kind = value; }
      else if (field === "data") { data.push(value); }
      else if (field === "id") { id = value; }
      else if (field === "retry" && /^\d+$/.test(value)) { retryMs = Math.max(RETRY_MS, Number(value)); }
    });
    if (id !== null && id !== "") { lastEventId = id; }
    if (!data.length) { return; }
    var payload;
    try { payload = JSON.parse(data.join("\n")); } catch (e) { return; }
    if (kind === "queue") { showQueue(payload); }
    else if (kind === "line") { newLine(payload); }
  }

  function newLine(line) {
    if (line.handover_id === openId) {
      addLine(line);
    } else if (line.who === "person") {
      var mine = queue.active.some(function (h) { return h.id === line.handover_id && h.claimed_by === auth.name; });
      if (mine) { announce("New message in another of your conversations."); }
    }
  }

  // --- the queue ----------------------------------------------------------------------------

  function announce(text) {
    var news = $("queue-news");
    news.textContent = "";
    setTimeout(function () { news.textContent = text; }, 50);
  }

  function minutes(n) {
    if (n === null || n === undefined) { return ""; }
    return n < 1 ? "waiting less than a minute" : "waiting " + n + (n === 1 ? " minute" : " minutes");
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function crisisWords(h) {
    return "Urgent" + (h.crisis_type ? ": " + h.crisis_type.replace(/_/g, " ") : "");
  }

  function card(h, kind) {
    var li = el("li", "card" + (h.urgent ? " urgent" : ""));
    li.setAttribute("data-handover-id", h.id);
    var headingId = "h-" + kind + "-" + h.id;
    var title = el("h4", "card-title");
    title.id = headingId;
    if (h.urgent) { title.appendChild(el("span", "flag", crisisWords(h))); }
    title.appendChild(document.createTextNode((CHANNELS[h.channel] || h.channel) +
      (h.helpline ? " · " + h.helpline : "")));
    li.appendChild(title);
    var facts = [];
    if (kind === "waiting") {
      facts.push(minutes(h.waiting_minutes));
      if (h.told_nobody_free) { facts.push("already told nobody is free"); }
    } else {
      facts.push(h.claimed_by === auth.name ? "with you" : "with " + (h.claimed_by || "a worker"));
    }
    if (h.consent === "no") { facts.push("shared nothing"); }
    else if (h.consent === "edited") { facts.push("wrote their own note"); }
    li.appendChild(el("p", "meta", facts.filter(Boolean).join(" · ")));
    if (h.why) { li.appendChild(el("p", "why", h.why)); }
    if (h.told_nobody_free && kind === "waiting") { li.classList.add("told"); }
    li.appendChild(el("p", "summary", h.summary));
    var action = null;
    if (kind === "waiting") {
      action = el("button", "claim", "Claim");
      action.addEventListener("click", function () { claim(h.id); });
    } else if (h.claimed_by === auth.name || auth.role === "admin") {
      action = el("button", "secondary open", h.id === openId ? "Showing" : "Open");
      action.addEventListener("click", function () { openConversation(h.id, true); });
    }
    if (action) {
      action.type = "button";
      action.setAttribute("data-action", kind + ":" + h.id);
      action.setAttribute("aria-describedby", headingId);
      li.appendChild(action);
    }
    return li;
  }

  function callbackCard(c) {
    var li = el("li", "card");
    li.setAttribute("data-callback-id", c.id);
    var headingId = "c-" + c.id;
    var title = el("h4", "card-title", (CHANNELS[c.channel] || c.channel) + (c.helpline ? " · " + c.helpline : ""));
    title.id = headingId;
    li.appendChild(title);
    li.appendChild(el("p", "meta", "asked " + when(c.created_at)));
    li.appendChild(el("p", "summary", c.summary));
    var done = el("button", "secondary", "Mark done");
    done.type = "button";
    done.setAttribute("data-action", "callback:" + c.id);
    done.setAttribute("aria-describedby", headingId);
    done.addEventListener("click", function () {
      api("POST", "/console/api/callbacks/" + encodeURIComponent(c.id) + "/done").then(function () {
        queue.callbacks = queue.callbacks.filter(function (x) { return x.id !== c.id; });
        showQueue(queue);
        announce("Callback request marked done.");
        $("callbacks-heading").setAttribute("tabindex", "-1");
        $("callbacks-heading").focus();
      }, function (e) { problem(e.message); });
    });
    li.appendChild(done);
    return li;
  }

  function when(iso) {
    if (!iso) { return ""; }
    var d = new Date(/Z$|[+-]\d\d:?\d\d$/.test(iso) ? iso : iso + "Z");
    return isNaN(d) ? iso : d.toLocaleString("en-GB", { weekday: "short", hour: "2-digit", minute: "2-digit", day: "numeric", month: "short" });
  }

  function fill(listId, items, make) {
    var list = $(listId);
    list.textContent = "";
    items.forEach(function (item) { list.appendChild(make(item)); });
    $(listId + "-empty").hidden = items.length > 0;
    $(listId + "-count").textContent = "(" + items.length + ")";
  }

  function showQueue(snapshot) {
    if (!auth || !snapshot) { return; }
    // Re-drawing must not throw the worker's keyboard focus away.
    var focused = document.activeElement && document.activeElement.getAttribute("data-action");
    queue = { waiting: snapshot.waiting || [], active: snapshot.active || [], callbacks: snapshot.callbacks || [] };
    fill("waiting", queue.waiting, function (h) { return card(h, "waiting"); });
    fill("active", queue.active, function (h) { return card(h, "active"); });
    fill("callbacks", queue.callbacks, callbackCard);
    if (focused) {
      var again = document.querySelector('[data-action="' + focused + '"]');
      if (again) { again.focus(); }
    }
    var ids = queue.waiting.map(function (h) { return h.id; });
    if (known !== null) {
      var fresh = queue.waiting.filter(function (h) { return known.indexOf(h.id) < 0; });
      if (fresh.length) {
        var urgent = fresh.some(function (h) { return h.urgent; });
        announce((urgent ? "Urgent: " : "") + (fresh.length === 1 ? "someone new is waiting. " : fresh.length + " new people are waiting. ") +
          queue.waiting.length + " waiting in all.");
      }
    }
    known = ids;
    if (openId && !queue.active.some(function (h) { return h.id === openId; })) {
      var still = queue.waiting.some(function (h) { return h.id === openId; });
      if (!still) { closeConversation("This conversation has ended."); }
    }
  }

  // --- one conversation ---------------------------------------------------------------------

  function claim(id) {
    problem("");
    api("POST", "/console/api/handovers/" + encodeURIComponent(id) + "/claim").then(function () {
      announce("You have this conversation now.");
      return openConversation(id, true);
    }, function (e) {
      if (e.status === 409) {
        problem("Someone else has already claimed this conversation. " + e.message);
        api("GET", "/console/api/queue").then(showQueue, function () {});
      } else {
        problem(e.message);
      }
    });
  }

  function openConversation(id, moveFocus) {
    return api("GET", "/console/api/handovers/" + encodeURIComponent(id)).then(function (h) {
      openId = h.id;
      shownLines = {};
      $("conversation").hidden = false;
      $("conversation").setAttribute("data-handover-id", h.id);
      $("conversation-heading").textContent = "Conversation: " + (CHANNELS[h.channel] || h.channel) +
        (h.urgent ? " (" + crisisWords(h).toLowerCase() + ")" : "");
      var facts = $("conversation-facts");
      facts.textContent = "";
      [["Helpline", h.helpline || "Not set"], ["Channel", CHANNELS[h.channel] || h.channel],
        ["Shared", { yes: "The summary and the chat with Waymark", edited: "Only a note they wrote", no: "Nothing" }[h.consent] || "Nothing"],
        ["Flag", h.urgent ? crisisWords(h) : "None"], ["Why", h.why || "They asked to talk to a person."],
        ["With", h.claimed_by || "Nobody yet"]].forEach(function (pair) {
        facts.appendChild(el("dt", null, pair[0]));
        facts.appendChild(el("dd", pair[0] === "Flag" && h.urgent ? "flag" : null, pair[1]));
      });
      $("conversation-summary").textContent = h.summary;
      $("transcript").textContent = "";
      (h.transcript || []).forEach(addLine);
      $("listings").textContent = "";
      showQueue(queue);
      if (moveFocus) { $("conversation-heading").focus(); }
    }, function (e) { problem(e.message); });
  }

  function closeConversation(message) {
    openId = null;
    $("conversation").hidden = true;
    $("conversation").removeAttribute("data-handover-id");
    if (message) { announce(message); }
  }

  function addLine(line) {
    if (line.id !== null && line.id !== undefined) {
      if (shownLines[line.id]) { return; }
      shownLines[line.id] = true;
    }
    var div = el("div", "line " + line.who);
    var label = WHO[line.who] || line.who;
    if (line.who === "agent" && line.name) { label += " (" + (line.name === auth.name ? "you" : line.name) + ")"; }
    if (line.who === "note") { label += (line.name ? " by " + line.name : "") + " – the person does not see this"; }
    div.appendChild(el("span", "who", label));
    div.appendChild(el("span", "text", line.text));
    var log = $("transcript");
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
  }

  function postLine(path, field, button) {
    var text = $(field).value.trim();
    if (!text || !openId) { return; }
    button.disabled = true;
    problem("");
    api("POST", "/console/api/handovers/" + encodeURIComponent(openId) + path, { text: text }).then(function (line) {
      $(field).value = "";
      addLine(line);
    }, function (e) { problem(e.message); }).then(function () {
      button.disabled = false;
      $(field).focus();
    });
  }

  $("reply-form").addEventListener("submit", function (event) {
    event.preventDefault();
    postLine("/messages", "reply", event.target.querySelector("button"));
  });
  $("note-form").addEventListener("submit", function (event) {
    event.preventDefault();
    postLine("/notes", "note", event.target.querySelector("button"));
  });
  // Ctrl+Enter (or Cmd+Enter) sends from a text box; Enter alone makes a new line.
  ["reply", "note"].forEach(function (id) {
    $(id).addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        $(id).form.requestSubmit();
      }
    });
  });

  $("directory-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var place = $("place").value.trim();
    if (!place) { return; }
    var list = $("listings");
    list.textContent = "";
    problem("");
    var query = "?place=" + encodeURIComponent(place) + "&need=" + encodeURIComponent($("need").value);
    api("GET", "/console/api/directory" + query).then(function (found) {
      if (!found.length) {
        list.appendChild(el("li", "empty", "No services found near " + place + ". Try another kind of help or place."));
        return;
      }
      found.forEach(function (item) {
        var li = el("li", "card");
        var titleId = "s-" + item.service_id;
        var title = el("h4", "card-title", item.name);
        title.id = titleId;
        li.appendChild(title);
        li.appendChild(el("p", "summary", item.text));
        var send = el("button", "secondary", "Send to the person");
        send.type = "button";
        send.setAttribute("aria-describedby", titleId);
        send.addEventListener("click", function () {
          send.disabled = true;
          api("POST", "/console/api/handovers/" + encodeURIComponent(openId) + "/directory",
            { service_id: item.service_id, place: place }).then(function (line) {
            addLine(line);
            send.textContent = "Sent";
          }, function (e) { problem(e.message); send.disabled = false; });
        });
        li.appendChild(send);
        list.appendChild(li);
      });
      announce(found.length + (found.length === 1 ? " service found." : " services found."));
    }, function (e) { problem(e.message); });
  });

  $("end").addEventListener("click", function () {
    if (!openId) { return; }
    var id = openId;
    problem("");
    api("POST", "/console/api/handovers/" + encodeURIComponent(id) + "/end").then(function () {
      closeConversation("Conversation ended. Waymark will ask the person if they got what they needed.");
      queue.active = queue.active.filter(function (h) { return h.id !== id; });
      showQueue(queue);
      $("queue-heading").focus();
    }, function (e) { problem(e.message); });
  });

  if (auth) { signedIn(); } else { $("username").focus(); }
})();
