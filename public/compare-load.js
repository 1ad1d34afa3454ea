// "Compare plans" (src/ui/compare.rs): its code, public/compare.js, loads when the panel
// first opens (`toggle` does not bubble: caught on its way down).
'use strict';
document.addEventListener('toggle', function (e) {
  var d = e.target;
  if (d.id !== 'compare' || d.dataset.loaded) return;
  d.dataset.loaded = '1';
  var s = document.createElement('script');
  s.src = './compare.js?v=' + d.dataset.v;
  document.head.appendChild(s);
}, true);
// A link that carries pinned plans opens the panel once the page has drawn it.
if (/[#&]compare=./.test(location.hash)) (function o() {
  var d = document.getElementById('compare');
  if (d) d.open = true; else setTimeout(o, 50);
})();
