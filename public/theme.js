// The colour theme (src/ui/theme.rs): applies the kept one before the page paints (no
// flash), and applies and keeps the one picked in the header's select (#theme).
(function () {
  var root = document.documentElement;
  function apply(theme) {
    if (theme === 'light' || theme === 'dark') root.setAttribute('data-theme', theme);
    else root.removeAttribute('data-theme');
  }
  try { apply(localStorage.getItem('planner.theme')); } catch (e) { /* no storage: the system's theme */ }
  document.addEventListener('change', function (e) {
    if (e.target.id !== 'theme') return;
    apply(e.target.value);
    try { localStorage.setItem('planner.theme', e.target.value); } catch (err) { /* not kept */ }
  });
})();
