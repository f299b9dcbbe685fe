// The page's bootstrap: starts the training workers at once (their wasm
// loads while the UI's does), then runs the Vugu UI — the playground's
// (wasm/ui), or a lab's page (wasm/lab) when boot.js found a lab key in
// the query — and gives it a few browser helpers (clipboard, downloads,
// PNG export). Everything comes from this origin; no inline script (CSP).
"use strict";
(function () {
  const href = (id) => document.getElementById(id).href;
  // The training workers start at once (their wasm loads while the UI's
  // does). Their messages wait in inbox, and their failures in errors,
  // until the UI installs nceOnWorker and nceOnWorkerError; the UI also
  // connects the two (package wire: every message is defined there).
  const inbox = [], errors = [];
  const workers = [];
  const app = window.nceApp;
  try {
    // The workers read the page's query (the playground's leader honours
    // its workers key: 1 leaves the helper idle).
    const params = new URLSearchParams({ exec: document.getElementById("nce-wasm-exec").src, wasm: app.workerWasm, q: location.search });
    // The playground: a second worker computes half of every step when
    // there are two cores; when the page is cross-origin isolated
    // (crossOriginIsolated: the server's COOP and COEP headers) the two
    // exchange their gradients through shared memory, else by messages
    // (docs/architecture.md#workers). A lab: one worker.
    const n = !app.lab && (navigator.hardwareConcurrency || 2) >= 2 ? 2 : 1;
    for (let i = 0; i < n; i++) {
      const w = new Worker(href("nce-worker-js") + "#" + params);
      if (i === 0) w.onmessage = (e) => (window.nceOnWorker ? window.nceOnWorker(e.data) : inbox.push(e.data));
      w.onerror = (e) => {
        const msg = e.message || "the worker could not start";
        console.error("training worker:", msg);
        window.nceOnWorkerError ? window.nceOnWorkerError(msg) : errors.push(msg);
      };
      workers.push(w);
    }
  } catch (err) {
    console.error("training worker:", err);
    errors.push(String(err));
  }
  window.nceWorkers = workers;
  // A lab page whose run two workers share starts the second itself
  // (wasm/lab/workers_wasm.go); its messages go to the first worker, over
  // the channel the page gives them. Returns the worker, or null.
  window.nceStartWorker = () => {
    try {
      const params = new URLSearchParams({ exec: document.getElementById("nce-wasm-exec").src, wasm: app.workerWasm });
      const w = new Worker(href("nce-worker-js") + "#" + params);
      w.onerror = (e) => {
        const msg = e.message || "the worker could not start";
        console.error("training worker:", msg);
        window.nceOnWorkerError ? window.nceOnWorkerError(msg) : errors.push(msg);
      };
      workers.push(w);
      return w;
    } catch (err) {
      console.error("training worker:", err);
      return null;
    }
  };
  window.nceTakeInbox = () => inbox.splice(0);
  window.nceTakeWorkerErrors = () => errors.splice(0);

  window.nceMarkRendered = () => {
    if (window.nceFirstRender === undefined) {
      window.nceFirstRender = performance.now();
      document.documentElement.dataset.ready = "1";
    }
  };

  // Plot slots ([data-slot]) are measured and their sizes handed to the
  // UI, which lays each plot out in its slot's own pixels (so a 11 px
  // label is 11 px at any size). Also measured: the viewport and the
  // toolbar ("viewport", "bar"; the toolbar's height is also --nce-bar-h,
  // under which the settings drawer opens).
  const sizes = new Map();
  let pending = null;
  const flush = () => {
    pending = null;
    if (!window.nceOnSizes) return;
    const flat = [];
    for (const [id, s] of sizes) flat.push(id, s[0], s[1]);
    window.nceOnSizes(flat);
  };
  const note = (id, w, h) => {
    w = Math.round(w); h = Math.round(h);
    const old = sizes.get(id);
    if (old && old[0] === w && old[1] === h) return;
    sizes.set(id, [w, h]);
    if (!pending) pending = requestAnimationFrame(flush);
  };
  window.nceTakeSizes = () => { sizes.size && flush(); };
  if (window.ResizeObserver) {
    const ro = new ResizeObserver((entries) => {
      for (const e of entries) {
        const el = e.target;
        if (el.classList.contains("nce-bar")) {
          const h = el.getBoundingClientRect().height;
          document.documentElement.style.setProperty("--nce-bar-h", Math.round(h) + "px");
          note("bar", e.contentRect.width, h);
        } else {
          note(el.dataset.slot, e.contentRect.width, e.contentRect.height);
        }
      }
    });
    const seen = new WeakSet();
    const scan = () => {
      for (const el of document.querySelectorAll("[data-slot], .nce-bar")) {
        if (!seen.has(el)) { seen.add(el); ro.observe(el); }
      }
    };
    let scanning = false;
    const start = () => {
      const mount = document.getElementById("nce-mount");
      new MutationObserver(() => {
        if (!scanning) { scanning = true; requestAnimationFrame(() => { scanning = false; scan(); }); }
      }).observe(mount, { childList: true, subtree: true });
      scan();
    };
    document.readyState === "loading" ? document.addEventListener("DOMContentLoaded", start) : start();
  }
  const viewport = () => note("viewport", document.documentElement.clientWidth, window.innerHeight);
  window.addEventListener("resize", viewport);
  viewport();

  // The hover readout: the UI answers what lies under the pointer in a
  // plot (nceHover), shown in a tip beside it; touch works the same.
  let tip = null;
  const hide = () => { if (tip) tip.hidden = true; };
  const hover = (ev) => {
    const slot = ev.target.closest && ev.target.closest("[data-slot]");
    if (!slot || !window.nceHover) return hide();
    const r = slot.getBoundingClientRect();
    const text = window.nceHover(slot.dataset.slot, ev.clientX - r.left, ev.clientY - r.top);
    if (!text) return hide();
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "nce-tip";
      tip.setAttribute("role", "status");
      document.body.appendChild(tip);
    }
    tip.textContent = text;
    tip.dataset.slot = slot.dataset.slot;
    tip.hidden = false;
    const w = tip.offsetWidth, h = tip.offsetHeight;
    const vw = document.documentElement.clientWidth, vh = window.innerHeight;
    let x = ev.clientX + 14, y = ev.clientY + 14;
    if (x + w > vw - 4) x = Math.max(4, ev.clientX - 14 - w);
    if (y + h > vh - 4) y = Math.max(4, ev.clientY - 14 - h);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  };
  document.addEventListener("pointermove", hover, { passive: true });
  document.addEventListener("pointerdown", hover, { passive: true });
  document.addEventListener("pointerleave", hide);
  window.addEventListener("scroll", hide, { passive: true });

  window.nceCopy = (text) => {
    window.nceLastCopied = text;
    const fallback = () => {
      const ta = document.createElement("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.style.position = "fixed";
      ta.style.opacity = "0";
      document.body.appendChild(ta);
      ta.select();
      try { document.execCommand("copy"); } catch (e) { /* nothing more to try */ }
      ta.remove();
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).catch(fallback);
    } else {
      fallback();
    }
  };

  const save = (blob, name, text) => {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    window.nceLastDownload = { name: name, size: blob.size, type: blob.type, text: text };
  };
  // A guided tour's step brings its panel into view (after the render
  // under way).
  window.nceScrollTo = (panel) => setTimeout(() => {
    const el = document.querySelector('[data-panel="' + panel + '"]');
    // On a narrow screen the box is a sheet at the bottom: the panel goes to the top.
    if (el) el.scrollIntoView({ block: innerWidth <= 900 ? "start" : "nearest", behavior: "smooth" });
  }, 0);

  // A file chosen with Load tour… (a tour, docs/spec.md#tours) or a data
  // control's Choose file… (a CSV data set, docs/spec.md#data-file), or
  // dropped on the page (on a data box: a data set; elsewhere the page
  // decides by its name and state): its text goes to the page
  // (nceOnFile), which checks it.
  const readFile = (kind, file) => {
    if (!file || !window.nceOnFile) return;
    if (file.size > (1 << 20)) { window.nceOnFile(kind, file.name, null); return; }
    file.text().then((t) => window.nceOnFile(kind, file.name, t), () => window.nceOnFile(kind, file.name, null));
  };
  document.addEventListener("change", (ev) => {
    const t = ev.target;
    const kind = t && t.dataset && t.dataset.action;
    if (kind === "tour-file" || kind === "data-file") { readFile(kind, t.files[0]); t.value = ""; }
  });
  const hasFiles = (ev) => window.nceOnFile && ev.dataTransfer && Array.from(ev.dataTransfer.types).includes("Files");
  const dropZone = (ev) => ev.target && ev.target.closest && ev.target.closest('[data-drop="data-file"]');
  document.addEventListener("dragover", (ev) => {
    if (!hasFiles(ev)) return;
    ev.preventDefault();
    document.querySelectorAll(".nce-drop-over").forEach((el) => el.classList.remove("nce-drop-over"));
    const z = dropZone(ev);
    if (z) z.classList.add("nce-drop-over");
  });
  document.addEventListener("dragleave", (ev) => { if (ev.target === document.documentElement) document.querySelectorAll(".nce-drop-over").forEach((el) => el.classList.remove("nce-drop-over")); });
  document.addEventListener("drop", (ev) => {
    if (!hasFiles(ev)) return;
    ev.preventDefault();
    document.querySelectorAll(".nce-drop-over").forEach((el) => el.classList.remove("nce-drop-over"));
    readFile(dropZone(ev) ? "data-file" : "drop", ev.dataTransfer.files[0]);
  });

  window.nceDownload = (name, mime, content) => save(new Blob([content], { type: mime }), name, content);

  // An SVG element as an image, with its computed styles inlined (the
  // page's CSS does not reach an SVG drawn as an image).
  const styleProps = ["fill", "fill-opacity", "stroke", "stroke-width", "stroke-dasharray", "stroke-opacity",
    "opacity", "font-size", "font-family", "font-weight", "text-anchor", "dominant-baseline", "paint-order", "stroke-linejoin"];
  const svgImage = (svg, w, h) => {
    const clone = svg.cloneNode(true);
    const src = svg.querySelectorAll("*"), dst = clone.querySelectorAll("*");
    src.forEach((el, i) => {
      const cs = getComputedStyle(el);
      dst[i].setAttribute("style", styleProps.map((p) => p + ":" + cs.getPropertyValue(p)).join(";"));
    });
    // A heatmap's canvas (in a foreignObject) becomes an image of its pixels.
    const fos = svg.querySelectorAll("foreignObject");
    clone.querySelectorAll("foreignObject").forEach((fo, i) => {
      const cv = fos[i].querySelector("canvas");
      const img = document.createElementNS("http://www.w3.org/2000/svg", "image");
      for (const a of ["x", "y", "width", "height"]) img.setAttribute(a, fo.getAttribute(a));
      img.setAttribute("preserveAspectRatio", "none");
      if (cv) img.setAttribute("href", cv.toDataURL("image/png"));
      fo.replaceWith(img);
    });
    clone.setAttribute("width", w);
    clone.setAttribute("height", h);
    clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
    const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(clone)], { type: "image/svg+xml" }));
    const img = new Image();
    img.src = url;
    return img.decode().then(() => { URL.revokeObjectURL(url); return img; });
  };

  window.nceExportPNG = async (panel) => {
    const sec = document.querySelector('[data-panel="' + panel + '"]');
    if (!sec) return;
    const body = sec.querySelector(".nce-pbody") || sec;
    const r = body.getBoundingClientRect();
    const k = 2;
    const cv = document.createElement("canvas");
    cv.width = Math.round(r.width * k);
    cv.height = Math.round(r.height * k);
    const ctx = cv.getContext("2d");
    ctx.scale(k, k);
    ctx.fillStyle = getComputedStyle(sec).backgroundColor;
    ctx.fillRect(0, 0, r.width, r.height);
    for (const el of body.querySelectorAll("canvas, svg, h3")) {
      if (el.tagName === "CANVAS" && el.closest("svg")) continue; // drawn with its SVG
      const b = el.getBoundingClientRect();
      const x = b.left - r.left, y = b.top - r.top;
      if (el.tagName === "CANVAS") {
        ctx.imageSmoothingEnabled = el.width < b.width / 2 ? true : false;
        ctx.drawImage(el, x, y, b.width, b.height);
      } else if (el.tagName === "H3") {
        const cs = getComputedStyle(el);
        ctx.fillStyle = cs.color;
        ctx.font = cs.fontWeight + " " + cs.fontSize + " " + cs.fontFamily;
        ctx.textBaseline = "top";
        ctx.fillText(el.textContent, x, y);
      } else if (!el.closest("svg") || el.closest("svg") === el) {
        ctx.drawImage(await svgImage(el, b.width, b.height), x, y, b.width, b.height);
      }
    }
    cv.toBlob((blob) => save(blob, "nce-" + panel + ".png"), "image/png");
  };

  // "Show code": the experiment as a script, written by code.wasm
  // (wasm/codeworker) in a Web Worker of its own, started the first time
  // the page asks (the page's own wasm does not carry the generator, and
  // nothing fetches code.wasm before). The two messages are package
  // wire's CodeRequest {t: "code?", id, query, lang} and its answer
  // CodeScript {t: "code", id, script, err}, by those names (a wire test
  // checks them here). nceCode(query, lang) resolves to the answer: its
  // script, or its err.
  let codeWorker = null, codeSeq = 0;
  const codeWaiting = new Map();
  window.nceCode = (query, lang) => new Promise((resolve) => {
    if (!codeWorker) {
      try {
        const p = new URLSearchParams({ exec: document.getElementById("nce-wasm-exec").src, wasm: href("nce-code-wasm") });
        codeWorker = new Worker(href("nce-worker-js") + "#" + p);
        codeWorker.onmessage = (e) => {
          const m = e.data;
          if (m.t !== "code") return;
          const r = codeWaiting.get(m.id);
          codeWaiting.delete(m.id);
          if (r) r(m.err ? { err: m.err } : { script: m.script });
        };
        codeWorker.onerror = (e) => {
          const msg = "the code generator could not start: " + (e.message || "its worker failed");
          console.error(msg);
          for (const r of codeWaiting.values()) r({ err: msg });
          codeWaiting.clear();
          codeWorker = null;
        };
      } catch (err) {
        codeWorker = null;
        resolve({ err: "the code generator could not start: " + err });
        return;
      }
    }
    const id = ++codeSeq;
    codeWaiting.set(id, resolve);
    codeWorker.postMessage({ t: "code?", id: id, query: query, lang: lang });
  });

  // el builds an element of the dialogs: attributes, "text" (its text),
  // "on" (a click handler), then its children.
  const el = (tag, props, ...kids) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === "on") e.addEventListener("click", v);
      else if (k === "text") e.textContent = v;
      else e.setAttribute(k, v);
    }
    e.append(...kids);
    return e;
  };

  // The "Show code" dialog (the page's wasm only calls nceShowCode with
  // the experiment's query; its markup and logic live here, so that
  // ui.wasm, at its size budget, carries neither). Tabs for PyTorch and
  // NumPy, Copy, Download (.py), Close; Escape or the backdrop closes it.
  window.nceShowCode = (query) => {
    let lang = "torch", script = "", seq = 0;
    const file = () => (lang === "numpy" ? "nce_experiment_numpy.py" : "nce_experiment.py");
    const close = () => { back.remove(); box.remove(); document.removeEventListener("keydown", esc, true); opener && opener.focus(); };
    const esc = (e) => { if (e.key === "Escape") { e.stopPropagation(); close(); } };
    const opener = document.activeElement;
    const status = el("p", { class: "nce-wait", "data-code": "busy", text: "Writing the script…" });
    const err = el("p", { class: "nce-code-err", role: "alert", "data-code": "error", hidden: "" });
    const pre = el("pre", { class: "nce-code", "data-code": "script", tabindex: "0", hidden: "" });
    const copy = el("button", { type: "button", class: "nce-btn nce-primary", "data-action": "code-copy", disabled: "", on: () => {
      window.nceCopy(script); copy.textContent = "Copied"; setTimeout(() => (copy.textContent = "Copy"), 1500);
    } }, "Copy");
    const save = el("button", { type: "button", class: "nce-btn", "data-action": "code-download", disabled: "", on: () => window.nceDownload(file(), "text/x-python", script) }, "Download .py");
    const tabs = {};
    const show = (l) => {
      lang = l;
      const my = ++seq;
      for (const [k, b] of Object.entries(tabs)) b.setAttribute("aria-pressed", String(k === l));
      script = "";
      status.hidden = false; err.hidden = true; pre.hidden = true;
      copy.disabled = save.disabled = true;
      save.title = "Download the script as " + file();
      window.nceCode(query, l).then((r) => {
        if (my !== seq) return;
        status.hidden = true;
        if (r.err) { err.textContent = r.err; err.hidden = false; return; }
        script = r.script;
        pre.textContent = script;
        pre.setAttribute("aria-label", "Script: " + file());
        pre.hidden = false;
        copy.disabled = save.disabled = false;
      });
    };
    tabs.torch = el("button", { type: "button", class: "nce-btn", "data-lang": "torch", on: () => show("torch") }, "PyTorch");
    tabs.numpy = el("button", { type: "button", class: "nce-btn", "data-lang": "numpy", title: "NumPy alone: the poly model with a first-order optimizer", on: () => show("numpy") }, "NumPy");
    const back = el("div", { class: "nce-dialog-back", on: close });
    const box = el("div", { class: "nce-dialog nce-dialog-code", role: "dialog", "aria-modal": "true", "aria-labelledby": "nce-code-title", "data-dialog": "code" },
      el("h2", { id: "nce-code-title", text: "The experiment as code" }),
      el("p", { class: "nce-code-note" },
        "A script that runs on its own with python3 and PyTorch (or NumPy) and imports nothing from this site. It samples its own data with its own random numbers, so its c, log Z and KL agree with this page's up to the spread over seeds (",
        el("a", { href: "/docs/spec.html#code", target: "_blank", rel: "noopener", text: "what differs" }), ")."),
      el("div", { class: "nce-tabs", role: "group", "aria-label": "Language" }, tabs.torch, tabs.numpy),
      status, err, pre,
      el("div", { class: "nce-dialog-btns" }, copy, save,
        el("button", { type: "button", class: "nce-btn", "data-action": "code-close", on: close }, "Close")));
    document.body.append(back, box);
    document.addEventListener("keydown", esc, true);
    show(lang);
    tabs.torch.focus();
  };

  // The GIF export: gif.wasm (wasm/gifworker: package gifexport, the
  // bytes of `nceplay gif`) in a Web Worker of its own, started by the
  // first "Make GIF" (nothing fetches gif.wasm before). It talks in
  // wire's GIFRequest {t: "gif?", id, query, panels, frames, width, dark, data}
  // and its answer GIFImage {t: "gif", id, gif, name, warn, err}, by
  // those names (a wire test checks them here). nceGIF(req) resolves to
  // {gif: Uint8Array, name, warn} or {error}; nceGIFCancel() stops the
  // worker (the next request starts a new one).
  let gifWorker = null, gifSeq = 0;
  const gifWaiting = new Map();
  const gifFail = (msg) => {
    for (const r of gifWaiting.values()) r({ error: msg });
    gifWaiting.clear();
    if (gifWorker) {
      // A stopped worker's late events (its script's load failing as it
      // is stopped) must not reach the next one's requests.
      gifWorker.onmessage = gifWorker.onerror = null;
      gifWorker.terminate();
    }
    gifWorker = null;
  };
  window.nceGIFCancel = () => gifFail("cancelled");
  window.nceGIF = (req) => new Promise((resolve) => {
    if (!gifWorker) {
      try {
        const p = new URLSearchParams({ exec: document.getElementById("nce-wasm-exec").src, wasm: href("nce-gif-wasm") });
        const w = gifWorker = new Worker(href("nce-worker-js") + "#" + p);
        w.onmessage = (e) => {
          const m = e.data;
          if (!m || m.t !== "gif") return;
          const r = gifWaiting.get(m.id);
          gifWaiting.delete(m.id);
          if (r) r(m.err ? { error: m.err } : { gif: m.gif, name: m.name, warn: m.warn });
        };
        w.onerror = (e) => {
          if (w !== gifWorker) return;
          const msg = "the GIF maker could not start: " + (e.message || "its worker failed");
          console.error(msg);
          gifFail(msg);
        };
      } catch (err) {
        gifWorker = null;
        resolve({ error: "the GIF maker could not start: " + err });
        return;
      }
    }
    const id = ++gifSeq;
    gifWaiting.set(id, resolve);
    gifWorker.postMessage({ t: "gif?", id: id, query: req.query, panels: req.panels, frames: req.frames, width: req.width, dark: req.dark, data: req.data });
  });

  // The "GIF" dialog (the page's wasm calls nceShowGIF with the
  // experiment's query, the drawable panels {id, title, on}, gifexport's
  // caps, whether the page is dark and, for an experiment on a data file,
  // the file's CSV text, which goes with the request): the panels, frames, width and
  // theme, then Make GIF, a working state with Cancel, the GIF as a
  // preview and a download (named by the worker from the spec).
  window.nceShowGIF = (query, panels, caps, dark, data) => {
    let url = "", blob = null, name = "", busy = false, timer = 0, seq = 0;
    const opener = document.activeElement;
    const drop = () => { if (url) URL.revokeObjectURL(url); url = ""; blob = null; window.nceLastGIF = null; };
    const stop = () => { clearInterval(timer); if (busy) window.nceGIFCancel(); busy = false; };
    const close = () => { stop(); drop(); back.remove(); box.remove(); document.removeEventListener("keydown", esc, true); opener && opener.focus(); };
    const esc = (e) => { if (e.key === "Escape") { e.stopPropagation(); close(); } };
    const boxes = panels.map((p) => el("input", Object.assign({ type: "checkbox", "data-gif-panel": p.id }, p.on ? { checked: "" } : {})));
    const num = (key, label, unit, lo, def, hi) => {
      const input = el("input", { type: "number", min: String(lo), max: String(hi), step: "1", value: String(def), "data-gif": key, inputmode: "numeric" });
      return [input, el("label", { class: "nce-gif-num", title: lo + " to " + hi + unit }, label + " ", input, el("span", { class: "nce-gif-cap", text: lo + "–" + hi + unit }))];
    };
    const [frames, framesLbl] = num("frames", "Frames", "", caps.minFrames, caps.frames, caps.maxFrames);
    const [width, widthLbl] = num("width", "Width", " px", caps.minWidth, caps.width, caps.maxWidth);
    const darkBox = el("input", Object.assign({ type: "checkbox", "data-gif": "dark" }, dark ? { checked: "" } : {}));
    const status = el("p", { class: "nce-wait nce-gif-wait", "data-gif": "busy", role: "status", hidden: "" });
    const err = el("p", { class: "nce-code-err", role: "alert", "data-gif": "error", hidden: "" });
    const warn = el("p", { class: "nce-gif-warn", role: "status", "data-gif": "warn", hidden: "" });
    const img = el("img", { class: "nce-gif-img", "data-gif": "img", alt: "", hidden: "" });
    const cmd = el("p", { class: "nce-gif-cmd", hidden: "" });
    const make = el("button", { type: "button", class: "nce-btn nce-primary", "data-action": "gif-make" }, "Make GIF");
    const cancel = el("button", { type: "button", class: "nce-btn", "data-action": "gif-cancel", hidden: "" }, "Cancel");
    const dl = el("button", { type: "button", class: "nce-btn", "data-action": "gif-download", disabled: "", on: () => blob && save(blob, name) }, "Download .gif");
    const show = (node, text) => { node.textContent = text; node.hidden = false; };
    const whole = (input, what, lo, hi) => {
      const v = input.value.trim();
      if (!/^[0-9]+$/.test(v)) throw new Error(what + " = \u201c" + v + "\u201d: a whole number from " + lo + " to " + hi);
      return Number(v);
    };
    make.addEventListener("click", () => {
      if (busy) return;
      err.hidden = warn.hidden = true;
      let req;
      try {
        const chosen = panels.filter((p, i) => boxes[i].checked).map((p) => p.id);
        if (!chosen.length) throw new Error("choose at least one panel");
        req = { query: query, panels: chosen.join(","), frames: whole(frames, "frames", caps.minFrames, caps.maxFrames),
          width: whole(width, "width", caps.minWidth, caps.maxWidth), dark: darkBox.checked, data: data || "" };
      } catch (e) { show(err, e.message); return; }
      drop();
      img.hidden = true; cmd.hidden = true; dl.disabled = true;
      busy = true; make.disabled = true; cancel.hidden = false;
      const t0 = Date.now();
      const tick = () => { status.textContent = "Training the run and drawing its frames\u2026 " + Math.round((Date.now() - t0) / 1000) + " s"; };
      tick(); status.hidden = false; timer = setInterval(tick, 1000);
      const my = ++seq;
      window.nceGIF(req).then((r) => {
        if (my !== seq) return;
        clearInterval(timer); busy = false; make.disabled = false; cancel.hidden = true; status.hidden = true;
        if (r.error) { if (r.error !== "cancelled") show(err, r.error); return; }
        blob = new Blob([r.gif], { type: "image/gif" });
        name = r.name;
        url = URL.createObjectURL(blob);
        window.nceLastGIF = { url: url, name: name, size: blob.size, blob: blob };
        img.src = url;
        img.alt = "The run as an animated GIF (" + req.panels.replace(/,/g, ", ") + ", " + req.frames + " frames)";
        img.hidden = false;
        dl.disabled = false;
        dl.title = "Download as " + name;
        if (r.warn) show(warn, "Training " + r.warn + ": the last frame is the last finite state.");
        if (query.length <= 300) {
          cmd.replaceChildren("The same bytes: ", el("code", { text: "nceplay gif --panels " + req.panels + " --frames " + req.frames +
            " --width " + req.width + (req.dark ? " --theme dark" : "") + (req.data ? " --data FILE.csv" : "") + " '" + query + "' > " + name }));
          cmd.hidden = false;
        }
      });
    });
    cancel.addEventListener("click", () => { seq++; stop(); status.hidden = true; make.disabled = false; cancel.hidden = true; });
    const back = el("div", { class: "nce-dialog-back", on: close });
    const box = el("div", { class: "nce-dialog nce-dialog-gif", role: "dialog", "aria-modal": "true", "aria-labelledby": "nce-gif-title", "data-dialog": "gif", "data-query": query },
      el("h2", { id: "nce-gif-title", text: "This run as an animated GIF" }),
      el("p", { class: "nce-code-note" },
        "Trains the experiment from step 0 in the background and draws the chosen panels at evenly spread steps, for slides (",
        el("a", { href: "/docs/spec.html#gif", target: "_blank", rel: "noopener", text: "what it draws" }), ")."),
      el("fieldset", { class: "nce-gif-opts" }, el("legend", { text: "Panels" }),
        ...panels.map((p, i) => el("label", {}, boxes[i], " " + p.title))),
      el("div", { class: "nce-gif-opts" }, framesLbl, widthLbl, el("label", {}, darkBox, " dark")),
      status, err, warn, img, cmd,
      el("div", { class: "nce-dialog-btns" }, make, cancel, dl,
        el("button", { type: "button", class: "nce-btn", "data-action": "gif-close", on: close }, "Close")));
    document.body.append(back, box);
    document.addEventListener("keydown", esc, true);
    make.focus();
  };

  // The app's wasm, which boot.js is fetching already.
  const go = new Go();
  const response = app.fetch.then((r) => {
    if (!r.ok) throw new Error(app.wasm + ": HTTP " + r.status);
    return r;
  });
  const fallback = () => response.then((r) => r.arrayBuffer()).then((b) => WebAssembly.instantiate(b, go.importObject));
  (WebAssembly.instantiateStreaming
    ? WebAssembly.instantiateStreaming(response.then((r) => r.clone()), go.importObject).catch(fallback)
    : fallback()
  ).then((r) => go.run(r.instance)).catch((err) => {
    console.error("NCE Playground failed to start:", err);
    const m = document.getElementById("nce-mount");
    if (m) m.textContent = "The NCE Playground failed to start: " + err;
  });
})();
