(function () {
  "use strict";
  // Reads only data- attributes holding ids made by aligner: no text of the articles.
  function ids(el, name) {
    var value = el.getAttribute(name);
    return value ? value.split(" ") : [];
  }
  function has(el, name, id) { return ids(el, name).indexOf(id) >= 0; }
  var lines = Array.prototype.slice.call(document.querySelectorAll("[data-link]"));

  // A sentence lit: its partners in every article, the parts their links matched, its map lines.
  function light(sentence, on) {
    sentence.classList.toggle("active", on);
    ids(sentence, "data-partners").forEach(function (pid) {
      var partner = document.getElementById(pid);
      if (!partner) { return; }
      partner.classList.toggle("partner", on);
      partner.querySelectorAll(".part").forEach(function (part) {
        if (has(part, "data-for", sentence.id)) { part.classList.toggle("on", on); }
      });
      sentence.querySelectorAll(".part").forEach(function (part) {
        if (has(part, "data-for", pid)) { part.classList.toggle("on", on); }
      });
    });
    lines.forEach(function (line) {
      if (has(line, "data-ends", sentence.id)) { line.classList.toggle("hl", on); }
    });
  }
  document.querySelectorAll(".column .sent[id]").forEach(function (sentence) {
    ["mouseenter", "focus"].forEach(function (type) {
      sentence.addEventListener(type, function () { light(sentence, true); });
    });
    ["mouseleave", "blur"].forEach(function (type) {
      sentence.addEventListener(type, function () { light(sentence, false); });
    });
  });

  // A map line goes to its shared fact; its sentences light up while it is hovered or focused.
  function go(line) {
    var target = document.getElementById(line.getAttribute("data-target"));
    if (!target) { return; }
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }
  function lightEnds(line, on) {
    ids(line, "data-ends").forEach(function (id) {
      var sentence = document.getElementById(id);
      if (sentence) { sentence.classList.toggle("partner", on); }
    });
  }
  lines.forEach(function (line) {
    line.addEventListener("click", function () { go(line); });
    line.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); go(line); }
    });
    ["mouseenter", "focus"].forEach(function (type) {
      line.addEventListener(type, function () { lightEnds(line, true); });
    });
    ["mouseleave", "blur"].forEach(function (type) {
      line.addEventListener(type, function () { lightEnds(line, false); });
    });
  });
})();
