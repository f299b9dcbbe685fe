// The training worker's bootstrap (classic worker: Go's wasm_exec.js
// needs importScripts). The page passes the URLs of wasm_exec.js and the
// worker's wasm in the fragment of this script's URL. The Go program
// (wasm/worker) installs self.nceDeliver and says it is ready; every
// message is defined in Go (package wire). A failure to load is thrown,
// so that it reaches the page as the worker's error event.
"use strict";
const params = new URLSearchParams(self.location.hash.slice(1));
importScripts(params.get("exec"));
const early = [];
self.onmessage = (e) => (self.nceDeliver ? self.nceDeliver(e.data) : early.push(e.data));
self.nceFlush = () => { for (const m of early.splice(0)) self.nceDeliver(m); };
const go = new Go();
const url = params.get("wasm");
const fallback = () => fetch(url).then((r) => r.arrayBuffer()).then((b) => WebAssembly.instantiate(b, go.importObject));
(WebAssembly.instantiateStreaming
  ? WebAssembly.instantiateStreaming(fetch(url), go.importObject).catch(fallback)
  : fallback()
).then((r) => go.run(r.instance)).catch((err) => {
  setTimeout(() => { throw new Error("it did not load: " + err); });
});
