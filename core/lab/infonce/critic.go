package infonce

import (
	"math"
	"math/rand/v2"

	"nceplay/core/model"
)

// A critic scores every pair (x_i, y_j) of a batch of B pairs: the B×B
// matrix f[i·B + j] = f(x_i, y_j), whose diagonal holds the positives.
// It is not safe for concurrent use (it keeps its forward pass).
type critic interface {
	numParams() int
	init(r *rand.Rand, theta []float64)
	// forward sets f[i·B+j] = f(x_i, y_j) for the B = len(x) pairs.
	forward(theta, x, y, f []float64)
	// backward adds Σ_ij df[i·B+j] ∇θ f(x_i, y_j) to grad, for the pairs
	// of the last forward.
	backward(theta, df, grad []float64)
}

// bilinear is f(x, y) = a·x·y. The best critic for the Gaussian pair,
// log p(y|x)/p(y) = const(x) + ρxy/(1−ρ²) − ρ²y²/(2(1−ρ²)), has a y² term
// as well (docs/math.md#e11): no a makes the bilinear critic the best one,
// and its bound falls short of the best critic's.
type bilinear struct{ x, y []float64 }

func (*bilinear) numParams() int                  { return 1 }
func (*bilinear) init(_ *rand.Rand, th []float64) { th[0] = 0 }

func (c *bilinear) forward(theta, x, y, f []float64) {
	c.x, c.y = x, y
	a := theta[0]
	b := len(x)
	for i, xi := range x {
		row := f[i*b : (i+1)*b]
		ax := a * xi
		for j, yj := range y {
			row[j] = ax * yj
		}
	}
}

// backward adds Σ_ij df_ij x_i y_j to grad[0].
func (c *bilinear) backward(_, df, grad []float64) {
	b := len(c.x)
	s := 0.0
	for i, xi := range c.x {
		row := df[i*b : (i+1)*b]
		t := 0.0
		for j, yj := range c.y {
			t += row[j] * yj
		}
		s += xi * t
	}
	grad[0] += s
}

// mlpCritic is a tanh MLP of the pair, f(x, y) = G((x, y); θ) with the
// playground's MLP (core/model): its kernels, its Glorot start, its exact
// gradient.
type mlpCritic struct {
	m    *model.MLP
	tape model.Tape
	pts  []float64 // the B² pairs (x_i, y_j), row-major in i
}

func newMLPCritic(s *Spec) critic {
	m := model.NewMLP(2, s.Units, s.Layers)
	b := s.K + 1
	return &mlpCritic{m: m, tape: m.NewTape(b * b), pts: make([]float64, 2*b*b)}
}

func (c *mlpCritic) numParams() int                     { return c.m.NumParams() }
func (c *mlpCritic) init(r *rand.Rand, theta []float64) { c.m.Init(r, theta) }

func (c *mlpCritic) forward(theta, x, y, f []float64) {
	b := len(x)
	pts := c.pts[:2*b*b]
	for i, xi := range x {
		row := pts[2*i*b : 2*(i+1)*b]
		for j, yj := range y {
			row[2*j], row[2*j+1] = xi, yj
		}
	}
	c.tape.Forward(theta, pts, f[:b*b])
}

func (c *mlpCritic) backward(theta, df, grad []float64) { c.tape.Backward(theta, df, grad) }

// cosineCritic is SimCLR's critic (docs/math.md#ranking, Chen et al.
// 2020): encoders g and h of x and of y into ℝ^d, each a one-hidden-layer
// tanh MLP (e = W₂ tanh(W₁x + b₁) + b₂, U hidden units), and
// f(x, y) = cos(g(x), h(y))/τ. Parameters: g's W₁ (U), b₁ (U), W₂ (d×U,
// row-major), b₂ (d), then h's the same.
type cosineCritic struct {
	u, d  int
	tau   float64
	enc   [2]encoderTape
	dU    []float64 // ∂J/∂(unit embedding) of each x, B×d
	dV    []float64 // of each y, B×d
	lastB int
}

// encoderTape keeps one encoder's forward pass over a batch.
type encoderTape struct {
	in  []float64 // the inputs
	h   []float64 // B×U hidden activations
	e   []float64 // B×d embeddings
	nrm []float64 // B norms
	u   []float64 // B×d unit embeddings
	de  []float64 // d scratch
	dh  []float64 // U scratch
}

func newCosineCritic(s *Spec) critic {
	b := s.K + 1
	c := &cosineCritic{u: s.Units, d: s.EDim, tau: s.Tau,
		dU: make([]float64, b*s.EDim), dV: make([]float64, b*s.EDim)}
	for k := range c.enc {
		c.enc[k] = encoderTape{h: make([]float64, b*s.Units), e: make([]float64, b*s.EDim),
			nrm: make([]float64, b), u: make([]float64, b*s.EDim), de: make([]float64, s.EDim), dh: make([]float64, s.Units)}
	}
	return c
}

// encParams is one encoder's parameter count: W₁, b₁, W₂, b₂.
func (c *cosineCritic) encParams() int { return 2*c.u + c.d*c.u + c.d }

func (c *cosineCritic) numParams() int { return 2 * c.encParams() }

// init draws Glorot-uniform weights, biases 0, in parameter order.
func (c *cosineCritic) init(r *rand.Rand, theta []float64) {
	clear(theta)
	fill := func(w []float64, fanIn, fanOut int) {
		a := math.Sqrt(6 / float64(fanIn+fanOut))
		for i := range w {
			w[i] = a * (2*r.Float64() - 1)
		}
	}
	for k := range 2 {
		p := theta[k*c.encParams():]
		fill(p[:c.u], 1, c.u)
		fill(p[2*c.u:2*c.u+c.d*c.u], c.u, c.d)
	}
}

// encode runs encoder k (parameters p) over the inputs.
func (c *cosineCritic) encode(k int, p, in []float64) {
	t := &c.enc[k]
	u, d := c.u, c.d
	w1, b1, w2, b2 := p[:u], p[u:2*u], p[2*u:2*u+d*u], p[2*u+d*u:2*u+d*u+d]
	t.in = in
	for i, x := range in {
		h := t.h[i*u : (i+1)*u]
		for j := range h {
			h[j] = tanh(w1[j]*x + b1[j])
		}
		e := t.e[i*d : (i+1)*d]
		ss := 0.0
		for a := range e {
			row := w2[a*u : (a+1)*u]
			s := b2[a]
			for j, hj := range h {
				s += row[j] * hj
			}
			e[a] = s
			ss += s * s
		}
		// A tiny floor keeps the direction defined at e = 0.
		nrm := math.Sqrt(ss + 1e-24)
		t.nrm[i] = nrm
		ue := t.u[i*d : (i+1)*d]
		for a := range ue {
			ue[a] = e[a] / nrm
		}
	}
}

func (c *cosineCritic) forward(theta, x, y, f []float64) {
	np := c.encParams()
	c.encode(0, theta[:np], x)
	c.encode(1, theta[np:2*np], y)
	b, d := len(x), c.d
	c.lastB = b
	inv := 1 / c.tau
	ux, uy := c.enc[0].u, c.enc[1].u
	for i := range b {
		ui := ux[i*d : (i+1)*d]
		row := f[i*b : (i+1)*b]
		for j := range b {
			vj := uy[j*d : (j+1)*d]
			s := 0.0
			for a, v := range ui {
				s += v * vj[a]
			}
			row[j] = s * inv
		}
	}
}

// backward: ∂J/∂u_i = Σ_j df_ij v_j/τ and ∂J/∂v_j = Σ_i df_ij u_i/τ; through
// the normalization, ∂J/∂e = (∂J/∂u − (∂J/∂u·u)u)/|e|; then through each
// encoder's output and hidden layer.
func (c *cosineCritic) backward(theta, df, grad []float64) {
	b, d := c.lastB, c.d
	inv := 1 / c.tau
	ux, uy := c.enc[0].u, c.enc[1].u
	clear(c.dU[:b*d])
	clear(c.dV[:b*d])
	for i := range b {
		row := df[i*b : (i+1)*b]
		du := c.dU[i*d : (i+1)*d]
		ui := ux[i*d : (i+1)*d]
		for j, g := range row {
			if g == 0 {
				continue
			}
			g *= inv
			vj := uy[j*d : (j+1)*d]
			dv := c.dV[j*d : (j+1)*d]
			for a := range du {
				du[a] += g * vj[a]
				dv[a] += g * ui[a]
			}
		}
	}
	np := c.encParams()
	c.encBackward(0, theta[:np], c.dU, grad[:np])
	c.encBackward(1, theta[np:2*np], c.dV, grad[np:2*np])
}

// encBackward adds encoder k's gradient from ∂J/∂(unit embeddings) dUnit.
func (c *cosineCritic) encBackward(k int, p, dUnit, grad []float64) {
	t := &c.enc[k]
	u, d := c.u, c.d
	w2 := p[2*u : 2*u+d*u]
	gw1, gb1, gw2, gb2 := grad[:u], grad[u:2*u], grad[2*u:2*u+d*u], grad[2*u+d*u:2*u+d*u+d]
	for i, x := range t.in {
		du := dUnit[i*d : (i+1)*d]
		ue := t.u[i*d : (i+1)*d]
		dot := 0.0
		for a, v := range du {
			dot += v * ue[a]
		}
		inv := 1 / t.nrm[i]
		de := t.de
		for a := range de {
			de[a] = (du[a] - dot*ue[a]) * inv
		}
		h := t.h[i*u : (i+1)*u]
		dh := t.dh
		clear(dh)
		for a, g := range de {
			gb2[a] += g
			row := w2[a*u : (a+1)*u]
			grow := gw2[a*u : (a+1)*u]
			for j, hj := range h {
				grow[j] += g * hj
				dh[j] += g * row[j]
			}
		}
		for j, hj := range h {
			dz := dh[j] * (1 - hj*hj)
			gb1[j] += dz
			gw1[j] += dz * x
		}
	}
}

// tanh returns tanh(x) as −expm1(−2|x|)/(expm1(−2|x|) + 2) with the sign
// of x: accurate near 0 and exactly ±1 beyond |x| = 20; math.Expm1 is pure
// Go on every platform, so the encoders round alike natively and in wasm.
func tanh(x float64) float64 {
	a := math.Abs(x)
	if a > 20 {
		return math.Copysign(1, x)
	}
	e := math.Expm1(-2 * a)
	return math.Copysign(-e/(e+2), x)
}
