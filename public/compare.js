// "Compare plans" (issue 23), loaded by public/compare-load.js when its panel
// (src/ui/compare.rs) first opens. It keeps the pinned plans, as the `compare=` part of
// the page's address (the page keeps it there when it writes another plan,
// share::page_url) and in localStorage (the address's win; a link without them shows
// the ones this browser kept), and asks the config files' worker for the rest: the
// request is lines, `compare`, the plan on the form (the address's), the action (show,
// pin, remove <i>, clear) and the pinned plans as the address holds them; the answer,
// ["compare", the pinned plans after the action, the panel's markup]
// (src/export/compare/markup.rs).
'use strict';
(function () {
  var KEY = 'planner.compare';
  var panel = document.getElementById('compare');
  // What each action did, announced: a live region kept across answers.
  var status = panel.appendChild(document.createElement('p'));
  status.id = 'compare-status';
  status.setAttribute('role', 'status');
  var body = panel.appendChild(document.createElement('div'));
  body.id = 'compare-body';
  body.textContent = 'Loading\u2026';
  var worker = null;
  var ready = false;
  var last = null;
  var edited = 0;
  // The button pressed: focused again in the new markup, so the keyboard keeps its place.
  var pressed = null;

  // The fragment's pairs but the pinned plans': the plan on the form.
  function plan() {
    return location.hash.slice(1).split('&').filter(function (p) { return p.split('=')[0] !== 'compare'; }).join('&');
  }
  // The pinned plans: the address's, else the ones this browser kept.
  function pinned() {
    var m = /(?:^#|&)compare=([^&]*)/.exec(location.hash);
    if (m && m[1]) return m[1];
    try { return localStorage.getItem(KEY) || ''; } catch (e) { return ''; }
  }
  function keep(value) {
    try {
      if (value) localStorage.setItem(KEY, value); else localStorage.removeItem(KEY);
    } catch (e) { /* no storage: the address still holds them */ }
    var url = location.pathname + location.search + '#' + plan() + (value ? '&compare=' + value : '');
    if (location.href.slice(location.origin.length) !== url) history.replaceState(history.state, '', url);
  }
  function start() {
    ready = false;
    worker = new Worker('./files-worker.js?v=' + panel.dataset.v);
    worker.onmessage = function (e) {
      var r = e.data;
      if (r[0] === 'ready') {
        ready = true;
        if (last) worker.postMessage(last);
      } else if (r[0] === 'compare') {
        last = null;
        keep(r[1]);
        body.innerHTML = r[2];
        var said = body.querySelector('.said');
        status.textContent = said ? said.textContent : '';
        if (said) said.remove();
        var again = pressed && (body.querySelector('[data-compare="' + pressed + '"]') || body.querySelector('[data-compare]'));
        if (again) again.focus();
        pressed = null;
      } else if (r[0] === 'error') {
        fail(r[1]);
      }
    };
    worker.onerror = function (e) { fail(e.message); };
  }
  function fail(message) {
    body.innerHTML = '<p role="alert"></p>';
    body.firstChild.textContent = 'The files\u2019 worker failed: ' + message;
    worker.terminate();
    worker = null;
  }
  function ask(action) {
    last = 'compare\n' + plan() + '\n' + action + '\n' + pinned();
    if (!worker) start();
    if (ready) worker.postMessage(last);
  }

  // The page writes an edited plan into its address 250 ms after the edit
  // (persist::REMEMBER_AFTER_MS): a pin waits for it.
  function edit() { edited = Date.now(); }
  document.addEventListener('input', edit, true);
  document.addEventListener('change', edit, true);
  panel.addEventListener('click', function (e) {
    var b = e.target.closest('button[data-compare]');
    if (!b) return;
    var action = b.getAttribute('data-compare');
    pressed = action;
    setTimeout(function () { ask(action); }, Math.max(0, edited + 300 - Date.now()));
  });
  // Another link pasted or opened ("Open plan B"): its pinned plans, or the kept ones.
  window.addEventListener('hashchange', function () { if (panel.open) ask('show'); });
  // Opened again: the plan on the form may have changed since.
  panel.addEventListener('toggle', function () { if (panel.open) ask('show'); });
  ask('show');
})();
