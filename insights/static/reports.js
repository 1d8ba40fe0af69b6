// The commissioner's reports page: signs in with /auth/token, keeps the token in this tab's
// sessionStorage only, and draws each report as an SVG chart (where it has one) and a table.
(function () {
  "use strict";
  var TOKEN_KEY = "waymark.reports.token";
  var NAME_KEY = "waymark.reports.name";
  var ORDER = ["weekly", "demand", "unmet", "askers", "handovers", "stale"];
  var SVG = "http://www.w3.org/2000/svg";

  var signInSection = document.getElementById("sign-in");
  var reportsSection = document.getElementById("reports");
  var signInError = document.getElementById("sign-in-error");
  var statusLine = document.getElementById("status");
  var list = document.getElementById("report-list");
  var fromInput = document.getElementById("from");
  var toInput = document.getElementById("to");

  function token() { return sessionStorage.getItem(TOKEN_KEY); }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function showSignIn(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(NAME_KEY);
    reportsSection.hidden = true;
    signInSection.hidden = false;
    signInError.hidden = !message;
    signInError.textContent = message || "";
    list.textContent = "";
  }

  function showReports() {
    signInSection.hidden = true;
    reportsSection.hidden = false;
    document.getElementById("who").textContent = sessionStorage.getItem(NAME_KEY) || "";
    load();
  }

  function detail(response, fallback) {
    return response.json().then(function (body) {
      return (body && typeof body.detail === "string") ? body.detail : fallback;
    }, function () { return fallback; });
  }

  document.getElementById("sign-in-form").addEventListener("submit", function (event) {
    event.preventDefault();
    signInError.hidden = true;
    var form = new URLSearchParams();
    form.set("username", document.getElementById("username").value);
    form.set("password", document.getElementById("password").value);
    fetch("/auth/token", { method: "POST", body: form }).then(function (response) {
      if (!response.ok) {
        return detail(response, "Signing in did not work. Please try again.").then(function (text) {
          showSignIn(response.status === 401 ? "Wrong name or password." : text);
        });
      }
      return response.json().then(function (body) {
        if (body.role !== "admin") {
          showSignIn("This account can't see reports. Reports are for admins.");
          return;
        }
        sessionStorage.setItem(TOKEN_KEY, body.access_token);
        sessionStorage.setItem(NAME_KEY, body.name || "");
        document.getElementById("password").value = "";
        showReports();
      });
    }, function () { showSignIn("Waymark did not answer. Please try again."); });
  });

  document.getElementById("sign-out").addEventListener("click", function () {
    if (token()) {  // the server forgets the token too
      fetch("/auth/sign-out", { method: "POST", headers: { Authorization: "Bearer " + token() } })
        .catch(function () { /* signed out here anyway */ });
    }
    showSignIn("");
  });

  document.getElementById("dates").addEventListener("submit", function (event) {
    event.preventDefault();
    load();
  });

  function query() {
    var params = new URLSearchParams();
    if (fromInput.value) params.set("from", fromInput.value);
    if (toInput.value) params.set("to", toInput.value);
    var text = params.toString();
    return text ? "?" + text : "";
  }

  function get(path) {
    return fetch(path, { headers: { "Authorization": "Bearer " + token() } });
  }

  function load() {
    statusLine.textContent = "Loading the reports…";
    var q = query();
    Promise.all(ORDER.map(function (name) {
      return get("/reports/api/" + name + q).then(function (response) {
        if (response.status === 401) throw { signIn: true };
        if (!response.ok) {
          return detail(response, "That report could not be made.").then(function (text) { throw { message: text }; });
        }
        return response.json();
      });
    })).then(function (reports) {
      list.textContent = "";
      fromInput.value = reports[0].from;
      toInput.value = reports[0].to;
      reports.forEach(function (report) { list.appendChild(render(report, q)); });
      statusLine.textContent = "Showing " + reports[0].from + " to " + reports[0].to +
        ". Counts under " + reports[0].min_count + " are hidden.";
    }, function (problem) {
      if (problem && problem.signIn) { showSignIn("Your sign-in has run out. Please sign in again."); return; }
      statusLine.textContent = (problem && problem.message) || "The reports could not be loaded. Please try again.";
    });
  }

  function isHidden(value) {
    return typeof value === "string" && (value === "hidden" || value.indexOf("fewer than") === 0);
  }

  function render(report, q) {
    var section = el("section", { "class": "report", "id": "report-" + report.name, "aria-labelledby": "title-" + report.name });
    section.appendChild(el("h3", { id: "title-" + report.name }, report.title));
    section.appendChild(el("p", {}, report.description));
    if (!report.rows.length) {
      section.appendChild(el("p", { "class": "empty" }, report.empty));
    } else {
      if (report.chart) section.appendChild(chart(report));
      section.appendChild(table(report));
    }
    report.notes.forEach(function (note) { section.appendChild(el("p", { "class": "notes" }, note)); });
    var button = el("button", { type: "button", "class": "download" }, "Download " + report.title + " (CSV)");
    button.addEventListener("click", function () { download(report, q); });
    section.appendChild(button);
    return section;
  }

  function table(report) {
    var wrap = el("div", { "class": "table-wrap" });
    var t = el("table");
    t.appendChild(el("caption", {}, report.title));
    var head = el("tr");
    report.columns.forEach(function (c) {
      head.appendChild(el("th", { scope: "col", "class": c.kind === "text" || c.kind === "date" ? "" : "num" }, c.label));
    });
    t.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    var rows = report.rows.slice();
    if (report.total) rows.push(report.total);
    rows.forEach(function (row, i) {
      var tr = el("tr", report.total && i === rows.length - 1 ? { "class": "total" } : {});
      report.columns.forEach(function (c) {
        var value = row[c.key];
        var cls = c.kind === "text" || c.kind === "date" ? "" : "num";
        if (isHidden(value)) cls += " hidden-count";
        tr.appendChild(el("td", { "class": cls }, value === null || value === undefined ? "–" : value));
      });
      body.appendChild(tr);
    });
    t.appendChild(body);
    wrap.appendChild(t);
    return wrap;
  }

  // A grouped bar chart drawn as SVG: one group per row, one bar per series. Hidden counts
  // get no bar, only a small "<5" mark, so the chart never shows more than the table.
  function chart(report) {
    var xKey = report.chart.x;
    var series = report.chart.series;
    var rows = report.rows.filter(function (r) { return r[xKey] && /^\d{4}-/.test(r[xKey]); });
    var labels = {};
    report.columns.forEach(function (c) { labels[c.key] = c.label; });
    var max = 1;
    rows.forEach(function (r) { series.forEach(function (s) { if (typeof r[s] === "number") max = Math.max(max, r[s]); }); });
    var width = 720, height = 240, left = 40, bottom = 40, top = 10;
    var plotH = height - bottom - top;
    var step = (width - left - 10) / Math.max(rows.length, 1);
    var barW = Math.max(2, (step - 4) / series.length);
    var figure = el("figure");
    var summary = report.title + ": " + rows.length + " weeks; largest figure " + max + ".";
    var root = svg("svg", { "class": "chart", viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": summary });
    root.appendChild(svg("line", { "class": "axis", x1: left, y1: top + plotH, x2: width - 5, y2: top + plotH }));
    root.appendChild(svg("line", { "class": "axis", x1: left, y1: top, x2: left, y2: top + plotH }));
    root.appendChild(svg("text", { "class": "label", x: left - 4, y: top + 10, "text-anchor": "end" }, max));
    root.appendChild(svg("text", { "class": "label", x: left - 4, y: top + plotH, "text-anchor": "end" }, 0));
    rows.forEach(function (r, i) {
      var x0 = left + 2 + i * step;
      series.forEach(function (s, j) {
        var v = r[s];
        var x = x0 + j * barW;
        if (typeof v === "number") {
          var h = plotH * v / max;
          var bar = svg("rect", { "class": "bar series-" + j, x: x, y: top + plotH - h, width: barW - 1, height: h });
          bar.appendChild(svg("title", {}, labels[s] + ", week of " + r[xKey] + ": " + v));
          root.appendChild(bar);
        } else if (isHidden(v)) {
          root.appendChild(svg("text", { "class": "label", x: x, y: top + plotH - 3 }, v === "hidden" ? "–" : "<" + report.min_count));
        }
      });
      if (rows.length <= 16 || i % Math.ceil(rows.length / 12) === 0) {
        root.appendChild(svg("text", { "class": "label", x: x0, y: top + plotH + 14 }, r[xKey].slice(5)));
      }
    });
    figure.appendChild(root);
    var legend = el("ul", { "class": "legend" });
    series.forEach(function (s, j) {
      var item = el("li");
      item.appendChild(el("span", { "class": "swatch series-" + j, "aria-hidden": "true" }));
      item.appendChild(document.createTextNode(labels[s]));
      legend.appendChild(item);
    });
    var caption = el("figcaption");
    caption.appendChild(legend);
    figure.appendChild(caption);
    return figure;
  }

  function download(report, q) {
    get("/reports/api/" + report.name + ".csv" + q).then(function (response) {
      if (response.status === 401) { showSignIn("Your sign-in has run out. Please sign in again."); return; }
      if (!response.ok) { statusLine.textContent = "The CSV could not be made. Please try again."; return; }
      return response.blob().then(function (blob) {
        var link = el("a", { href: URL.createObjectURL(blob), download: "waymark-" + report.name + ".csv" });
        document.body.appendChild(link);
        link.click();
        link.remove();
        statusLine.textContent = report.title + " saved as CSV.";
      });
    });
  }

  if (token()) showReports(); else showSignIn("");
}());
