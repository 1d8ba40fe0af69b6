// Waymark staff lookup page. Searches /staff/api/search and shows each listing with its
// referral route. Texting a client needs a staff account: the sign-in token is kept in this
// tab's sessionStorage (never a cookie) and sent as "Authorization: Bearer".
(function () {
  "use strict";
  var TOKEN_KEY = "waymark.staff.token";
  var $ = function (id) { return document.getElementById(id); };
  var searchForm = $("search");
  var statusLine = $("status");
  var listingsEl = $("listings");
  var nationalEl = $("national");
  var template = $("listing-template");
  var printButton = $("print");
  var uid = 0;

  // --- the sign-in token ------------------------------------------------------------------

  function token() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(TOKEN_KEY));
      if (saved && new Date(saved.expires_at) > new Date()) { return saved; }
    } catch (e) { /* nothing usable saved */ }
    sessionStorage.removeItem(TOKEN_KEY);
    return null;
  }

  function showAccount() {
    var saved = token();
    $("signed-in").hidden = !saved;
    $("sign-in").hidden = !!saved;
    $("signed-in-as").textContent = saved ? "Signed in as " + saved.name + " (" + saved.role + ")." : "";
  }

  $("sign-in").addEventListener("submit", function (event) {
    event.preventDefault();
    var problem = $("sign-in-status");
    problem.hidden = true;
    var body = new URLSearchParams();
    body.set("username", $("username").value.trim());
    body.set("password", $("password").value);
    fetch("/auth/token", { method: "POST", body: body }).then(function (res) {
      return res.json().then(function (data) {
        if (!res.ok) { throw new Error(message(data, "Sorry, you could not be signed in. Please try again.")); }
        if (data.role !== "staff" && data.role !== "admin") {
          throw new Error("This account can't send texts. It needs the staff role: ask an admin.");
        }
        sessionStorage.setItem(TOKEN_KEY, JSON.stringify(
          { access_token: data.access_token, name: data.name, role: data.role,
            // this browser's clock plus the token's lifetime: a PC set to the wrong date still works
            expires_at: new Date(Date.now() + data.expires_in * 1000).toISOString() }));
        $("password").value = "";
        showAccount();
        $("sign-out").focus();
      });
    }).catch(function (e) {
      problem.textContent = e.message || "Sorry, you could not be signed in. Please try again.";
      problem.hidden = false;
    });
  });

  $("sign-out").addEventListener("click", function () {
    var saved = token();
    if (saved && saved.access_token) {  // the server forgets the token too
      fetch("/auth/sign-out", { method: "POST", headers: { Authorization: "Bearer " + saved.access_token } })
        .catch(function () { /* signed out here anyway */ });
    }
    sessionStorage.removeItem(TOKEN_KEY);
    showAccount();
    $("username").focus();
  });

  // --- helpers ------------------------------------------------------------------------------

  function message(data, fallback) {
    if (data && typeof data.detail === "string") { return data.detail; }
    if (data && Array.isArray(data.detail) && data.detail.length) {
      return "Please check: " + data.detail.map(function (d) { return d.loc ? d.loc[d.loc.length - 1] : ""; }).join(", ") + ".";
    }
    return fallback;
  }

  function set(root, selector, text) {
    var el = root.querySelector(selector);
    el.textContent = text || "";
    return el;
  }

  function fillSelect(select, options, first) {
    select.textContent = "";
    if (first) { select.appendChild(new Option(first, "")); }
    Object.keys(options).forEach(function (code) { select.appendChild(new Option(options[code], code)); });
  }

  function loadChoices() {
    return fetch("/staff/api/choices").then(function (res) { return res.json(); }).then(function (c) {
      fillSelect($("need"), c.needs, null);
      $("need").value = "treatment";
      fillSelect($("substance"), c.substances, "Any");
      fillSelect($("audience"), c.audiences, "Anyone");
      var within = $("within_miles");
      within.textContent = "";
      c.distances_miles.forEach(function (m) { within.appendChild(new Option(m + (m === 1 ? " mile" : " miles"), String(m))); });
      within.value = String(c.default_miles);
    }).catch(function () { /* the defaults in the page still work */ });
  }

  // --- searching ----------------------------------------------------------------------------

  function searchAsk() {
    var ask = {};
    ["area", "need", "substance", "audience", "language"].forEach(function (name) {
      var value = $(name).value.trim();
      if (value) { ask[name] = value; }
    });
    ask.within_miles = Number($("within_miles").value) || 25;
    ["open_now", "self_referral", "walk_in", "women_only"].forEach(function (name) { ask[name] = $(name).checked; });
    return ask;
  }

  function areaError(text) {
    var el = $("area-error");
    el.textContent = text || "";
    el.hidden = !text;
    $("area").setAttribute("aria-invalid", text ? "true" : "false");
  }

  searchForm.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!$("area").value.trim()) {
      areaError("Type an area first: a postcode like LS1 4AP, a district like LS1, or a town.");
      statusLine.textContent = "Type an area first.";
      $("area").focus();
      return;
    }
    areaError("");
    statusLine.textContent = "Searching…";
    $("search-button").disabled = true;
    // POST, so the area (often a full postcode) never sits in a URL, the history or a log.
    fetch("/staff/api/search", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(searchAsk())
    }).then(function (res) {
      return res.json().then(function (data) {
        if (!res.ok) {
          var text = message(data, "Sorry, the search did not work. Please try again.");
          clearResults();
          statusLine.textContent = text;
          areaError(res.status === 422 ? text : "");
          return;
        }
        show(data);
      });
    }).catch(function () {
      statusLine.textContent = "Sorry, I can't reach Waymark right now. Please try again in a moment.";
    }).then(function () { $("search-button").disabled = false; });
  });

  function clearResults() {
    listingsEl.textContent = "";
    nationalEl.textContent = "";
    $("national-block").hidden = true;
    printButton.hidden = true;
  }

  function show(data) {
    clearResults();
    data.listings.forEach(function (item) { listingsEl.appendChild(card(item)); });
    data.national.forEach(function (item) { nationalEl.appendChild(card(item)); });
    $("national-block").hidden = data.national.length === 0;
    printButton.hidden = data.listings.length + data.national.length === 0;
    statusLine.textContent = data.summary;
    $("printed-on").textContent = "Printed from Waymark on " + new Date().toLocaleDateString("en-GB",
      { day: "numeric", month: "long", year: "numeric" }) + ". Search: " + describeSearch(data.place) + ".";
  }

  function describeSearch(place) {
    var need = $("need");
    return need.options[need.selectedIndex] ? need.options[need.selectedIndex].text + " near " + place : place;
  }

  // --- one listing --------------------------------------------------------------------------

  function card(item) {
    var node = template.content.firstElementChild.cloneNode(true);
    var id = "listing-" + (++uid);
    node.id = id;
    var heading = set(node, ".name", item.name);
    heading.id = id + "-name";
    node.querySelector("article").setAttribute("aria-labelledby", heading.id);
    set(node, ".distance", item.distance_text ? item.distance_text + "." : "");
    set(node, ".org", item.organization ? "Run by " + item.organization + "." : "");
    if (item.alert) { set(node, ".alert-note", "Notice: " + item.alert).hidden = false; }
    node.querySelector(".sample-note").hidden = !item.is_sample;
    var checked = set(node, ".checked", item.last_checked_text || "Not checked recently — ring first.");
    if (item.stale) { checked.classList.add("stale"); }
    set(node, ".phone", item.phone || "No phone number listed");
    if (item.text_number) {
      node.querySelector(".text-number-label").hidden = false;
      set(node, ".text-number", item.text_number).hidden = false;
    }
    set(node, ".address", item.address || "Given when you ring (not published).");
    var open = set(node, ".open", item.opening_text);
    open.classList.add(item.open_now ? "is-open" : "is-closed");
    set(node, ".hours", item.hours ? item.hours.charAt(0).toUpperCase() + item.hours.slice(1) + "." : "");
    var r = item.referral;
    set(node, ".who", r.who_can_refer);
    set(node, ".how", howToRefer(r));
    set(node, ".include", r.include || "Ask the service when you ring.");
    var womenOnly = item.tags.indexOf("Women only") >= 0 ? "Women only" : null;
    var forWhom = [r.eligibility, r.ages, womenOnly].filter(Boolean)
      .map(function (part) { return part.replace(/\.$/, ""); });
    set(node, ".eligibility", forWhom.length ? forWhom.join(". ") + "." : "Not stated.");
    set(node, ".expect", r.what_to_expect || "Not stated.");
    set(node, ".tags", item.tags.join(" · "));
    wireText(node, item, id);
    wireReport(node, item, id);
    node.querySelector(".print-one").setAttribute("aria-label", "Print this listing: " + item.name);
    node.querySelector(".print-one").addEventListener("click", function () { printOne(node); });
    return node;
  }

  function howToRefer(r) {
    var ways = [];
    if (r.ways.indexOf("phone") >= 0 && r.phone) { ways.push("Ring " + r.phone); }
    if (r.ways.indexOf("email") >= 0) { ways.push(r.email ? "Email " + r.email : "By email (ask for the address)"); }
    if (r.ways.indexOf("form") >= 0) { ways.push(r.form_url ? "Referral form: " + r.form_url : "With their referral form (ask for it)"); }
    if (r.walk_in) { ways.push("The person can walk in"); }
    if (!ways.length && r.phone) { ways.push("Ring " + r.phone); }
    return ways.length ? ways.join(". ") + "." : "Not stated: ring the service.";
  }

  function toggle(button, form, first) {
    var opening = form.hidden;
    form.hidden = !opening;
    button.setAttribute("aria-expanded", String(opening));
    if (opening) { first.focus(); }
  }

  function labelFor(form, labelSel, inputSel, id) {
    var input = form.querySelector(inputSel);
    input.id = id;
    form.querySelector(labelSel).setAttribute("for", id);
    return input;
  }

  function wireText(node, item, id) {
    var button = node.querySelector(".text-toggle");
    var form = node.querySelector(".text-form");
    var mobile = labelFor(form, ".mobile-label", ".mobile", id + "-mobile");
    var status = form.querySelector(".form-status");
    form.id = id + "-text";
    button.setAttribute("aria-controls", form.id);
    button.setAttribute("aria-label", "Text these details to the client: " + item.name);
    button.addEventListener("click", function () {
      toggle(button, form, mobile);
      status.textContent = token() ? "" : "Sign in with your staff account first (see \"Texting details to clients\").";
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var saved = token();
      if (!saved) {
        status.textContent = "Sign in with your staff account first, then send the text.";
        showAccount();
        $("username").focus();
        return;
      }
      if (!mobile.value.trim()) { status.textContent = "Type the client's mobile number first."; mobile.focus(); return; }
      status.textContent = "Sending…";
      fetch("/staff/api/text", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Authorization": "Bearer " + saved.access_token },
        body: JSON.stringify({ mobile: mobile.value, service_ids: [item.id] })
      }).then(function (res) {
        return res.json().then(function (data) {
          if (res.status === 401) {
            sessionStorage.removeItem(TOKEN_KEY);
            showAccount();
            status.textContent = "Your sign-in has run out. Please sign in again, then send the text.";
            return;
          }
          status.textContent = res.ok ? data.message : message(data, "Sorry, the text could not be sent. Please try again.");
          if (res.ok) { mobile.value = ""; }
        });
      }).catch(function () {
        status.textContent = "Sorry, I can't reach Waymark right now. The text has not been sent.";
      });
    });
  }

  function wireReport(node, item, id) {
    var button = node.querySelector(".report-toggle");
    var form = node.querySelector(".report-form");
    var problem = labelFor(form, ".problem-label", ".problem", id + "-problem");
    var contact = labelFor(form, ".contact-label", ".contact", id + "-contact");
    var status = form.querySelector(".form-status");
    form.id = id + "-report";
    button.setAttribute("aria-controls", form.id);
    button.setAttribute("aria-label", "Report a problem with this listing: " + item.name);
    button.addEventListener("click", function () { toggle(button, form, problem); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (problem.value.trim().length < 3) {
        status.textContent = "Say what is wrong, for example \"the phone number has changed\".";
        problem.focus();
        return;
      }
      status.textContent = "Sending…";
      fetch("/oruk/services/" + encodeURIComponent(item.id) + "/report", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ problem: problem.value, contact: contact.value.trim() || null })
      }).then(function (res) {
        return res.json().then(function (data) {
          status.textContent = res.ok ? data.message : message(data, "Sorry, the report could not be sent. Please try again.");
          if (res.ok) { problem.value = ""; contact.value = ""; }
        });
      }).catch(function () {
        status.textContent = "Sorry, I can't reach Waymark right now. Please try again.";
      });
    });
  }

  // --- printing -----------------------------------------------------------------------------

  function printOne(node) {
    document.body.classList.add("printing-one");
    node.classList.add("print-this");
    window.print();
  }

  window.addEventListener("afterprint", function () {
    document.body.classList.remove("printing-one");
    Array.prototype.forEach.call(document.querySelectorAll(".print-this"), function (n) { n.classList.remove("print-this"); });
  });

  printButton.addEventListener("click", function () { window.print(); });

  showAccount();
  loadChoices();
})();
