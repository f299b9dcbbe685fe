// The NCE step of W2 (core issue: target=ring&model=mlp&units=64&layers=2
// &k=8&batch=256&lr=0.001) written with TensorFlow.js's wasm backend, for
// `make ui-bench` to compare with the playground's own engine in the same
// Chromium. One step, as core/nce does it:
//   - 256 data points drawn (with replacement) from a fixed data set of
//     n = 10000 points of the ring (8 Gaussians on a circle of radius 2,
//     sd 0.2), and 2048 = k·256 fresh noise points from the Gaussian
//     fitted to the data (mean and sd per axis); log U of all 2304;
//   - G = tanh MLP 2→64→64→1 with biases (output bias too), c a learned
//     scalar; z = G − c − log k − log U (docs/math.md#e2);
//   - loss = (Σ_data softplus(−z) + Σ_noise softplus(z)) / 256 (docs/math.md#e3);
//   - Adam, lr 0.001, via optimizer.minimize; the loss is read back every
//     step (core checks every step for divergence).
"use strict";
(function () {
  const K = 8, B = 256, N = 10000, UNITS = 64, LR = 0.001;
  const NB = B * (K + 1);

  // mulberry32 and Box–Muller: a seeded stream, like core's.
  let s = 12345 >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare = NaN;
  const normal = () => {
    if (!Number.isNaN(spare)) { const v = spare; spare = NaN; return v; }
    let u = 0;
    while (u === 0) u = rand();
    const r = Math.sqrt(-2 * Math.log(u)), a = 2 * Math.PI * rand();
    spare = r * Math.sin(a);
    return r * Math.cos(a);
  };

  // The data set: the ring.
  const data = new Float32Array(2 * N);
  for (let i = 0; i < N; i++) {
    const a = 2 * Math.PI * Math.floor(rand() * 8) / 8;
    data[2 * i] = 2 * Math.cos(a) + 0.2 * normal();
    data[2 * i + 1] = 2 * Math.sin(a) + 0.2 * normal();
  }
  // The noise: a Gaussian fitted to the data, per axis.
  const mu = [0, 0], sd = [0, 0];
  for (let d = 0; d < 2; d++) {
    let m = 0, v = 0;
    for (let i = 0; i < N; i++) m += data[2 * i + d];
    m /= N;
    for (let i = 0; i < N; i++) v += (data[2 * i + d] - m) ** 2;
    mu[d] = m;
    sd[d] = Math.sqrt(v / N);
  }
  const logNorm = -Math.log(sd[0]) - Math.log(sd[1]) - Math.log(2 * Math.PI);
  const logU = (x, y) => logNorm - 0.5 * (((x - mu[0]) / sd[0]) ** 2 + ((y - mu[1]) / sd[1]) ** 2);

  let vars = null, opt = null, sign = null;
  const xs = new Float32Array(2 * NB), off = new Float32Array(NB);

  // init sets up the backend and the model (Glorot uniform weights, zero
  // biases and c).
  const init = async (threads) => {
    tf.wasm.setWasmPaths(new URL("node_modules/@tensorflow/tfjs-backend-wasm/dist/", location.href).href);
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", !!threads && self.crossOriginIsolated === true);
    if (!(await tf.setBackend("wasm"))) throw new Error("no wasm backend");
    await tf.ready();
    const glorot = (fi, fo) => {
      const a = Math.sqrt(6 / (fi + fo)), w = new Float32Array(fi * fo);
      for (let i = 0; i < w.length; i++) w[i] = a * (2 * rand() - 1);
      return tf.variable(tf.tensor2d(w, [fi, fo]));
    };
    vars = {
      W1: glorot(2, UNITS), b1: tf.variable(tf.zeros([UNITS])),
      W2: glorot(UNITS, UNITS), b2: tf.variable(tf.zeros([UNITS])),
      W3: glorot(UNITS, 1), b3: tf.variable(tf.zeros([1])),
      c: tf.variable(tf.scalar(0)),
    };
    opt = tf.train.adam(LR);
    const sg = new Float32Array(NB);
    sg.fill(-1, 0, B);
    sg.fill(1, B);
    sign = tf.tensor1d(sg); // softplus(−z) for data, softplus(z) for noise
  };

  // step takes one NCE step and returns its loss.
  const step = () => {
    for (let i = 0; i < B; i++) {
      const j = Math.floor(rand() * N);
      xs[2 * i] = data[2 * j];
      xs[2 * i + 1] = data[2 * j + 1];
    }
    for (let i = B; i < NB; i++) {
      xs[2 * i] = mu[0] + sd[0] * normal();
      xs[2 * i + 1] = mu[1] + sd[1] * normal();
    }
    const logK = Math.log(K);
    for (let i = 0; i < NB; i++) off[i] = logK + logU(xs[2 * i], xs[2 * i + 1]);
    const loss = tf.tidy(() => {
      const x = tf.tensor2d(xs, [NB, 2]);
      const o = tf.tensor1d(off);
      const v = vars;
      return opt.minimize(() => {
        const h1 = tf.tanh(tf.add(tf.matMul(x, v.W1), v.b1));
        const h2 = tf.tanh(tf.add(tf.matMul(h1, v.W2), v.b2));
        const g = tf.reshape(tf.add(tf.matMul(h2, v.W3), v.b3), [NB]);
        const z = tf.sub(tf.sub(g, v.c), o);
        return tf.div(tf.sum(tf.softplus(tf.mul(z, sign))), B);
      }, true, Object.values(v));
    });
    const l = loss.dataSync()[0];
    loss.dispose();
    return l;
  };

  // nceTFBench trains for about seconds (after warm-up steps) and reports
  // steps per second; it yields to the event loop every ~100 ms.
  window.nceTFBench = async (seconds, threads) => {
    if (!vars) await init(threads);
    for (let i = 0; i < 20; i++) step(); // warm-up (kernels, allocations)
    const t0 = performance.now();
    let n = 0, loss = NaN, first = NaN;
    while (performance.now() - t0 < seconds * 1000) {
      const t1 = performance.now();
      while (performance.now() - t1 < 100) {
        loss = step();
        if (n === 0) first = loss;
        n++;
      }
      await new Promise((r) => setTimeout(r, 0));
    }
    const el = (performance.now() - t0) / 1000;
    const out = {
      sps: n / el, steps: n, seconds: el, loss: loss, firstLoss: first,
      backend: tf.getBackend(), version: tf.version.tfjs,
      simd: await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"),
      threads: tf.env().getBool("WASM_HAS_MULTITHREAD_SUPPORT") && tf.wasm.getThreadsCount ? tf.wasm.getThreadsCount() : 1,
      tensors: tf.memory().numTensors,
    };
    document.getElementById("out").textContent = JSON.stringify(out, null, 2);
    return out;
  };
})();
