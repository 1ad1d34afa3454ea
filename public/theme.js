// Applies the kept colour theme (src/ui/theme.rs) before the page paints: no flash.
try {
  var theme = localStorage.getItem('planner.theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.setAttribute('data-theme', theme);
} catch (e) { /* no storage: the system's theme */ }
