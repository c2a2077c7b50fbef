// Live updates of the latest publications on the home page. Progressive
// enhancement: the page is complete without it. Text only (textContent), so
// nothing from an event is ever interpreted as HTML.
(function () {
  "use strict";
  var box = document.getElementById("latest-list");
  if (!box || !window.EventSource) return;
  var lang = document.documentElement.lang === "en" ? "en" : "zh";
  var list = box.querySelector("ol.hits");
  // A citizen knows the agency by its name: ask the API once per agency code.
  var names = {};
  function agencyName(code, use) {
    if (!code || !window.fetch) return;
    if (!names[code]) {
      names[code] = fetch("/api/v1/agencies/" + encodeURIComponent(code))
        .then(function (r) { return r.ok ? r.json() : {}; })
        .then(function (a) { return a.name || ""; }, function () { return ""; });
    }
    names[code].then(function (name) { if (name) use(name); });
  }
  var source = new EventSource("/api/v1/events/stream?domain=results&event=published");
  source.addEventListener("results.published", function (message) {
    var result = (JSON.parse(message.data).data || {}).result;
    if (!result) return;
    if (!list) {
      list = document.createElement("ol");
      list.className = "hits";
      box.textContent = "";
      box.appendChild(list);
    }
    var item = document.createElement("li");
    item.className = "hit live";
    var heading = document.createElement("h3");
    var link = document.createElement("a");
    link.href = "/results/" + encodeURIComponent(result.id) + "?lang=" + lang;
    link.textContent = result.document_number;
    heading.appendChild(link);
    var meta = document.createElement("p");
    meta.className = "meta";
    meta.textContent = [(result.party || {}).name, result.agency_code, result.decision_date].join(" · ");
    agencyName(result.agency_code, function (name) {
      meta.textContent = [(result.party || {}).name, name + " " + result.agency_code, result.decision_date].join(" · ");
    });
    var text = document.createElement("p");
    text.className = "snippet";
    text.textContent = result.conclusion || "";
    item.appendChild(heading);
    item.appendChild(meta);
    item.appendChild(text);
    list.insertBefore(item, list.firstChild);
    while (list.children.length > 10) list.removeChild(list.lastChild);
  });
})();
