// The step-through page's only script. Every state was computed in Python and
// sits in <script id="nda-timeline">: each property (an attribute or a text)
// lists its changes [t, value]; showing position t is a lookup per property.
// The URL fragment holds the state: #mode=reverse&step=3, #mode=forward,
// #forward=2 (the forward pass, block by block), #step=last, #play=1.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("nda-timeline").textContent);
  var F = data.forward;
  var props = data.props.map(function (p) {
    return { el: document.getElementById(p[0]), key: p[1], series: p[2], shown: undefined };
  });
  var slider = document.getElementById("slider");
  var playButton = document.getElementById("play");
  var mode = data["default"];
  var t = 0;
  var timer = null;

  function last(m) { return F + data.steps[m]; }

  function lookup(changes, at) {
    var lo = 0, hi = changes.length - 1, found = null;
    while (lo <= hi) {  // last change at or before `at`
      var mid = (lo + hi) >> 1;
      if (changes[mid][0] <= at) { found = changes[mid][1]; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }

  function render() {
    props.forEach(function (p) {
      var changes = p.series[mode] || p.series["*"];
      var value = changes ? lookup(changes, t) : null;
      if (value === p.shown || !p.el) { return; }
      p.shown = value;
      if (p.key === "text") {
        p.el.textContent = value === null ? "" : value;
      } else if (value === null) {
        p.el.removeAttribute(p.key);
      } else {
        p.el.setAttribute(p.key, value);
      }
    });
    var body = document.body;
    body.setAttribute("data-mode", mode);
    body.setAttribute("data-position", String(t));
    body.setAttribute("data-last", String(last(mode)));
    if (t < F) {
      body.setAttribute("data-forward", String(t));
      body.removeAttribute("data-step");
    } else {
      body.setAttribute("data-step", String(t - F));
      body.removeAttribute("data-forward");
    }
    Array.prototype.forEach.call(document.querySelectorAll("[data-mode-button]"), function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-mode-button") === mode));
    });
    document.querySelectorAll("svg.nda-graph").forEach(function (svg) {
      svg.setAttribute("data-mode", mode);
    });
    slider.max = String(last(mode));
    slider.value = String(t);
    playButton.textContent = timer ? "❚❚ Pause" : "▶ Play";
    writeFragment();
    follow();
  }

  function follow() {  // a large graph scrolls: keep the current step in view
    var box = document.querySelector(".scroll");
    var focus = document.querySelector(".edge[data-active], [data-state='current']");
    if (!box || !focus || box.scrollWidth <= box.clientWidth) { return; }
    var seen = box.getBoundingClientRect(), at = focus.getBoundingClientRect();
    if (at.left < seen.left || at.right > seen.right || at.top < seen.top || at.bottom > seen.bottom) {
      focus.scrollIntoView({ block: "nearest", inline: "center" });
    }
  }

  function fragment() {
    return "mode=" + mode + (t < F ? "&forward=" + t : "&step=" + (t - F));
  }

  function writeFragment() {
    var hash = "#" + fragment();
    if (location.hash !== hash) {
      try { history.replaceState(null, "", hash); } catch (e) { /* about:srcdoc */ }
    }
    document.body.setAttribute("data-fragment", location.hash || hash);
  }

  function readFragment() {
    var pairs = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (item) {
      var k = item.indexOf("=");
      if (k <= 0) { return; }
      try {  // a pair with a broken escape ("step=%") is skipped, not fatal
        pairs[decodeURIComponent(item.slice(0, k))] = decodeURIComponent(item.slice(k + 1));
      } catch (e) { /* URIError: ignored as an unknown key is */ }
    });
    var known = Object.prototype.hasOwnProperty.call(data.steps, pairs.mode);
    mode = known ? pairs.mode : data["default"];  // no (or unknown) mode: the default
    var step = count(pairs.step, data.steps[mode]);
    var forward = count(pairs.forward, F);
    if (step !== null) { t = F + step; } else if (forward !== null) { t = forward; } else { t = 0; }
    return pairs.play === "1";
  }

  function count(text, most) {  // "3" -> 3, "last" -> most; anything else -> null
    if (text === "last") { return most; }
    if (!/^[0-9]+$/.test(text || "")) { return null; }
    return Math.min(parseInt(text, 10), most);
  }

  function go(position) {
    t = Math.max(0, Math.min(position, last(mode)));
    render();
  }

  function pause() {
    if (timer) { clearInterval(timer); timer = null; }
  }

  function play() {
    if (t >= last(mode)) { t = 0; }
    timer = setInterval(function () {
      if (t >= last(mode)) { pause(); render(); } else { go(t + 1); }
    }, 1100);
    render();
  }

  function setMode(next) {
    var atEnd = t >= last(mode);
    mode = next;
    go(atEnd ? last(mode) : Math.min(t, F));
  }

  document.getElementById("reset").addEventListener("click", function () { pause(); go(0); });
  document.getElementById("back").addEventListener("click", function () { pause(); go(t - 1); });
  document.getElementById("step").addEventListener("click", function () { pause(); go(t + 1); });
  playButton.addEventListener("click", function () { if (timer) { pause(); render(); } else { play(); } });
  slider.addEventListener("input", function () { pause(); go(parseInt(slider.value, 10)); });
  Array.prototype.forEach.call(document.querySelectorAll("[data-mode-button]"), function (b) {
    b.addEventListener("click", function () { pause(); setMode(b.getAttribute("data-mode-button")); });
  });
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var keys = {
      ArrowRight: function () { go(t + 1); }, ArrowDown: function () { go(t + 1); },
      ArrowLeft: function () { go(t - 1); }, ArrowUp: function () { go(t - 1); },
      Home: function () { go(0); }, End: function () { go(last(mode)); }
    };
    if (event.key === " " && event.target === document.body) {
      event.preventDefault();
      if (timer) { pause(); render(); } else { play(); }
    } else if (keys[event.key] && event.target !== slider) {
      event.preventDefault();
      pause();
      keys[event.key]();
    }
  });
  window.addEventListener("hashchange", function () {
    if (location.hash.slice(1) !== fragment()) { pause(); readFragment(); render(); }
  });

  function measureLabels() {  // boxes were sized in Python: does the text fit?
    var overflowing = 0;
    document.querySelectorAll("svg .node, svg .layer").forEach(function (box) {
      var rect = box.querySelector("rect");
      var r = rect.getBBox(), fits = true;
      box.querySelectorAll("text").forEach(function (text) {
        var b = text.getBBox();
        if (b.width && (b.x < r.x - 0.5 || b.x + b.width > r.x + r.width + 0.5)) { fits = false; }
      });
      if (!fits) { box.setAttribute("data-overflow", "true"); overflowing += 1; }
    });
    document.body.setAttribute("data-overflowing", String(overflowing));
  }

  var autoplay = readFragment();
  render();
  measureLabels();
  if (autoplay) { play(); }
  document.body.setAttribute("data-ready", "true");
})();
