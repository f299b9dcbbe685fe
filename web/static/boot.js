// Runs first, in <head> (a blocking script, before the deferred ones):
// decides which app this page is — a lab's page when the query has a lab
// key (wasm/lab and its worker, wasm/labworker), else the playground
// (wasm/ui and wasm/worker) — and starts fetching that app's wasm at once,
// as a preload would, so that a page never downloads the other's code
// (docs/architecture.md#add-a-lab). app.js instantiates it.
"use strict";
(function () {
  const lab = new URLSearchParams(location.search).has("lab");
  const href = (id) => document.getElementById(id).href;
  window.nceApp = {
    lab: lab,
    wasm: href(lab ? "nce-lab-wasm" : "nce-ui-wasm"),
    workerWasm: href(lab ? "nce-labworker-wasm" : "nce-worker-wasm"),
  };
  window.nceApp.fetch = fetch(window.nceApp.wasm, { credentials: "same-origin" });
  window.nceApp.fetch.catch(() => {}); // app.js reports a failure
})();
