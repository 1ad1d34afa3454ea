// The calibration's worker (src/bin/calibrate.rs), started by the page when the Calibrate panel
// opens. The page's build id (?v=…) goes on to the worker's own files, so the HTTP cache
// never serves another build's code; the service worker ignores it. The worker says
// "ready" once it answers: a message sent before is lost, and the page sends it again.
'use strict';
const v = self.location.search;
try {
  importScripts('./calibrate.js' + v);
  wasm_bindgen({ module_or_path: './calibrate_bg.wasm' + v }).catch((e) => self.postMessage(['error', String(e)]));
} catch (e) {
  self.postMessage(['error', String(e)]);
}
