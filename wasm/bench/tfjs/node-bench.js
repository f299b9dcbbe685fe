// The core issue's comparison: the W1 and W2 NCE steps written with
// TensorFlow.js's wasm backend, run under Node.js, beside core's own
// `go test -bench 'W1|W2'` built for GOOS=js GOARCH=wasm in the same
// `make bench-tfjs-node` run. Prints one JSON line:
//   {"w1": steps/s, "w2": steps/s, "backend": "wasm", ...}
//
// One step, as core/nce does it (docs/math.md#e2, docs/math.md#e3):
//   - batch data points drawn with replacement from a fixed data set of
//     n = 10000, k·batch fresh noise points from the Gaussian fitted to the
//     data (mean and sd per axis), log U of all of them;
//   - z = G − c − log k − log U, loss = (Σ_data softplus(−z) +
//     Σ_noise softplus(z)) / batch, Adam; the loss is read back every step
//     (core checks every step for divergence).
// W1: the quartic p̃ ∝ exp(−x² − x⁴), G = θ·(x, x², x³, x⁴), k = 10,
//     batch 256, lr 0.01.
// W2: the ring (8 Gaussians on a circle of radius 2, sd 0.2), G = tanh MLP
//     2→64→64→1, k = 8, batch 256, lr 0.001.
"use strict";
const tf = require("@tensorflow/tfjs");
require("@tensorflow/tfjs-backend-wasm");

const N = 10000;

// mulberry32 and Box–Muller: a seeded stream.
let s = 12345 >>> 0;
const rand = () => {
  s = (s + 0x6d2b79f5) >>> 0;
  let t = s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const normal = () => {
  let u = 0;
  while (u === 0) u = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
};

// workload builds the data set, the fitted noise and the step function.
function workload(w) {
  const dim = w === "w1" ? 1 : 2;
  const K = w === "w1" ? 10 : 8, B = 256, NB = B * (K + 1);
  const data = new Float32Array(dim * N);
  for (let i = 0; i < N; i++) {
    if (dim === 1) {
      // Exact: rejection from N(0, ½), kept with probability exp(−x⁴).
      for (;;) {
        const x = normal() * Math.SQRT1_2;
        if (rand() < Math.exp(-x * x * x * x)) { data[i] = x; break; }
      }
    } else {
      const a = 2 * Math.PI * Math.floor(rand() * 8) / 8;
      data[2 * i] = 2 * Math.cos(a) + 0.2 * normal();
      data[2 * i + 1] = 2 * Math.sin(a) + 0.2 * normal();
    }
  }
  const mu = [], sd = [];
  for (let d = 0; d < dim; d++) {
    let m = 0, v = 0;
    for (let i = 0; i < N; i++) m += data[dim * i + d];
    m /= N;
    for (let i = 0; i < N; i++) v += (data[dim * i + d] - m) ** 2;
    mu.push(m);
    sd.push(Math.sqrt(v / N));
  }
  let logNorm = 0;
  for (let d = 0; d < dim; d++) logNorm -= Math.log(sd[d]) + 0.5 * Math.log(2 * Math.PI);

  const glorot = (fi, fo) => {
    const a = Math.sqrt(6 / (fi + fo)), v = new Float32Array(fi * fo);
    for (let i = 0; i < v.length; i++) v[i] = a * (2 * rand() - 1);
    return tf.variable(tf.tensor2d(v, [fi, fo]));
  };
  const vars = w === "w1"
    ? { theta: tf.variable(tf.zeros([4, 1])), c: tf.variable(tf.scalar(0)) }
    : {
      W1: glorot(2, 64), b1: tf.variable(tf.zeros([64])),
      W2: glorot(64, 64), b2: tf.variable(tf.zeros([64])),
      W3: glorot(64, 1), b3: tf.variable(tf.zeros([1])),
      c: tf.variable(tf.scalar(0)),
    };
  const energy = w === "w1"
    ? (x) => tf.reshape(tf.matMul(x, vars.theta), [NB])
    : (x) => {
      const h1 = tf.tanh(tf.add(tf.matMul(x, vars.W1), vars.b1));
      const h2 = tf.tanh(tf.add(tf.matMul(h1, vars.W2), vars.b2));
      return tf.reshape(tf.add(tf.matMul(h2, vars.W3), vars.b3), [NB]);
    };
  const opt = tf.train.adam(w === "w1" ? 0.01 : 0.001);
  const sg = new Float32Array(NB);
  sg.fill(-1, 0, B);
  sg.fill(1, B);
  const sign = tf.tensor1d(sg);
  const xs = new Float32Array(dim * NB), feats = new Float32Array(4 * NB), off = new Float32Array(NB);
  const logK = Math.log(K);

  return () => {
    for (let i = 0; i < B; i++) {
      const j = Math.floor(rand() * N);
      for (let d = 0; d < dim; d++) xs[dim * i + d] = data[dim * j + d];
    }
    for (let i = B; i < NB; i++) {
      for (let d = 0; d < dim; d++) xs[dim * i + d] = mu[d] + sd[d] * normal();
    }
    for (let i = 0; i < NB; i++) {
      let lu = logNorm;
      for (let d = 0; d < dim; d++) lu -= 0.5 * ((xs[dim * i + d] - mu[d]) / sd[d]) ** 2;
      off[i] = logK + lu;
      if (dim === 1) {
        const x = xs[i];
        feats[4 * i] = x;
        feats[4 * i + 1] = x * x;
        feats[4 * i + 2] = x * x * x;
        feats[4 * i + 3] = x * x * x * x;
      }
    }
    const loss = tf.tidy(() => {
      const x = dim === 1 ? tf.tensor2d(feats, [NB, 4]) : tf.tensor2d(xs, [NB, 2]);
      const o = tf.tensor1d(off);
      return opt.minimize(() => {
        const z = tf.sub(tf.sub(energy(x), vars.c), o);
        return tf.div(tf.sum(tf.softplus(tf.mul(z, sign))), B);
      }, true, Object.values(vars));
    });
    const l = loss.dataSync()[0];
    loss.dispose();
    return l;
  };
}

// measure runs warm-up steps, then steps for about the given seconds.
function measure(step, seconds) {
  for (let i = 0; i < 20; i++) step();
  const t0 = performance.now();
  let n = 0, loss = NaN;
  while (performance.now() - t0 < seconds * 1000) {
    loss = step();
    n++;
  }
  return { sps: n / ((performance.now() - t0) / 1000), loss };
}

(async () => {
  const seconds = Number(process.argv[2] || 5);
  if (!(await tf.setBackend("wasm"))) throw new Error("no wasm backend");
  await tf.ready();
  const w1 = measure(workload("w1"), seconds);
  const w2 = measure(workload("w2"), seconds);
  console.log(JSON.stringify({
    w1: w1.sps, w2: w2.sps, w1_loss: w1.loss, w2_loss: w2.loss,
    backend: tf.getBackend(), version: tf.version.tfjs, node: process.version,
  }));
})().catch((e) => { console.error(e); process.exit(1); });
