package model

import (
	"fmt"
	"strconv"

	"nceplay/core/density"
)

// A Shape holds the sizes that build a model: the points' dimension and
// the spec's deg, units and layers (a model reads only the ones it Uses).
type Shape struct {
	Dim, Deg, Units, Layers int
}

// Sizes names the spec keys a model reads from its Shape.
type Sizes struct {
	Deg, Units, Layers bool
}

// A Cost is what one point costs a model, for the spec's caps
// (docs/spec.md#caps).
type Cost struct {
	// Flops is the multiply-adds of a forward pass per point, roughly.
	Flops float64
	// Params is the number of parameters, without the objective's scalar.
	Params float64
	// Tape is the float64s the model's tape keeps per point.
	Tape float64
}

// An Info is one row of the registry All.
type Info struct {
	Name string // the spec value of the model key
	Doc  string
	Uses Sizes
	// Linear reports a model linear in θ (a Linear): its nce, cls, neg and
	// mle losses are convex and Newton's method applies (docs/math.md#mle).
	Linear bool
	// FreeConstant reports whether G can absorb an additive constant over
	// the box: the mlp by its output bias, rbf because its bumps sum to a
	// constant there (√(2π) times a common coefficient, up to e^(−2π²) ≈
	// 3e-9 relative by Poisson summation, and falling off only within a
	// few spacings of the box's edges, where the data are not). poly has
	// no constant feature (G(0) = 0), so with norm=fixed or neg it cannot
	// (docs/math.md#no-free-constant).
	FreeConstant bool
	// PriorSD, when positive, is the standard deviation of a Gaussian
	// prior N(0, PriorSD²) on each parameter (not on the objective's
	// scalar c): the trainer adds the ridge |θ|²/(2n·PriorSD²) to the
	// per-data-point loss, the prior's share of one data point. It decides
	// the directions the data leave open and hardly moves the others (its
	// weight falls like 1/n). rbf needs it: its bumps sum to a near
	// constant, so adding s to every θ_j and s·√(2π) to c changes almost
	// nothing, and the bumps beyond the data have no data to set them; c
	// and θ drift along these directions instead of converging
	// (docs/math.md#partition-function).
	PriorSD float64
	New     func(sh Shape, box density.Box) Model
	Cost    func(sh Shape) Cost
	// Summary names a model of this shape in a few words ("poly deg 4",
	// "mlp 32×2"); Phrase in a sentence ("degree-4 poly", "tanh MLP (32
	// units × 2 layers)").
	Summary, Phrase func(sh Shape) string
}

// All is the registry of models, in the order the spec lists them. A
// model's name is spelled here only.
var All = []*Info{PolyInfo, MLPInfo, RBFInfo}

// The registry's rows.
var (
	PolyInfo = &Info{Name: "poly", Linear: true, Uses: Sizes{Deg: true},
		Doc: "exponential family (1D: x…x^deg; 2D: quadratic)",
		New: func(sh Shape, _ density.Box) Model { return NewPoly(sh.Dim, sh.Deg) },
		Summary: func(sh Shape) string {
			if sh.Dim == 1 {
				return "poly deg " + strconv.Itoa(sh.Deg)
			}
			return "poly"
		},
		Phrase: func(sh Shape) string {
			if sh.Dim == 1 {
				return "degree-" + strconv.Itoa(sh.Deg) + " poly"
			}
			return "quadratic poly"
		},
		Cost: func(sh Shape) Cost {
			if sh.Dim == 2 {
				return Cost{Flops: 5, Params: 5}
			}
			return Cost{Flops: float64(sh.Deg), Params: float64(sh.Deg)}
		}}
	MLPInfo = &Info{Name: "mlp", FreeConstant: true, Uses: Sizes{Units: true, Layers: true},
		Doc:     "tanh MLP",
		New:     func(sh Shape, _ density.Box) Model { return NewMLP(sh.Dim, sh.Units, sh.Layers) },
		Summary: func(sh Shape) string { return fmt.Sprintf("mlp %d×%d", sh.Units, sh.Layers) },
		Phrase: func(sh Shape) string {
			return fmt.Sprintf("tanh MLP (%d units × %d layers)", sh.Units, sh.Layers)
		},
		Cost: func(sh Shape) Cost {
			d, u, l := float64(sh.Dim), float64(sh.Units), float64(sh.Layers)
			return Cost{
				Flops:  d*u + (l-1)*u*u + u,
				Params: d*u + u + (l-1)*(u*u+u) + u + 1,
				Tape:   (l+4)*u + d,
			}
		}}
	// rbf's prior: a bump's coefficient moves G by up to √(2π) ≈ 2.5 times
	// itself (the bumps overlap), so σ = 10 spans ±25 nats of log-density,
	// about the range over which a target falls inside its box; fitted
	// by Newton with n = 10⁴ it changes kl by ~0.001–0.005 against the
	// edge-free solution while c comes within 0.01 of the model's own
	// log Z (TestRBFConstantDirection).
	RBFInfo = &Info{Name: "rbf", Linear: true, FreeConstant: true, Uses: Sizes{Units: true}, PriorSD: 10,
		Doc:     "RBF features on a grid",
		New:     func(sh Shape, box density.Box) Model { return NewRBF(sh.Dim, sh.Units, box) },
		Summary: func(sh Shape) string { return "rbf " + strconv.Itoa(sh.Units) },
		Phrase:  func(sh Shape) string { return fmt.Sprintf("RBF (%d centres per axis)", sh.Units) },
		Cost: func(sh Shape) Cost {
			u := float64(sh.Units)
			if sh.Dim == 2 {
				return Cost{Flops: u * u, Params: u * u, Tape: 5 * u}
			}
			return Cost{Flops: u, Params: u, Tape: u}
		}}
)

// Names returns the models' names in registry order.
func Names() []string {
	names := make([]string, len(All))
	for i, m := range All {
		names[i] = m.Name
	}
	return names
}

// Lookup returns the model called name, or nil.
func Lookup(name string) *Info {
	for _, m := range All {
		if m.Name == name {
			return m
		}
	}
	return nil
}
