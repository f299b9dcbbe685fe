package nce

import (
	"fmt"
	"math"
)

// An Optimizer updates parameters in place from their gradient. Step must
// not allocate.
type Optimizer interface {
	Step(theta, grad []float64)
}

// NewOptimizer returns the first-order optimizer named by SPEC.md's opt key
// (adam, sgd, momentum) for n parameters with learning rate lr. Newton's
// method is not an Optimizer: it needs the Hessian, and the Trainer runs it
// itself.
func NewOptimizer(name string, n int, lr float64) (Optimizer, error) {
	switch name {
	case "adam":
		return &Adam{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, m: make([]float64, n), v: make([]float64, n)}, nil
	case "sgd":
		return &SGD{LR: lr}, nil
	case "momentum":
		return &Momentum{LR: lr, Mu: 0.9, vel: make([]float64, n)}, nil
	}
	return nil, fmt.Errorf("nce: unknown optimizer %q", name)
}

// SGD is plain gradient descent: θ ← θ − lr·g.
type SGD struct{ LR float64 }

// Step implements Optimizer.
func (o *SGD) Step(theta, grad []float64) {
	for i, g := range grad {
		theta[i] -= o.LR * g
	}
}

// Momentum is heavy-ball gradient descent: v ← μv + g, θ ← θ − lr·v.
type Momentum struct {
	LR, Mu float64
	vel    []float64
}

// Step implements Optimizer.
func (o *Momentum) Step(theta, grad []float64) {
	for i, g := range grad {
		o.vel[i] = o.Mu*o.vel[i] + g
		theta[i] -= o.LR * o.vel[i]
	}
}

// Adam is Kingma & Ba's optimizer with bias correction.
type Adam struct {
	LR, Beta1, Beta2, Eps float64
	m, v                  []float64
	t                     int
	p1, p2                float64 // β₁ᵗ and β₂ᵗ, kept by product (no Pow: bit-identical everywhere)
}

// Step implements Optimizer.
func (o *Adam) Step(theta, grad []float64) {
	if o.t == 0 {
		o.p1, o.p2 = 1, 1
	}
	o.t++
	o.p1 *= o.Beta1
	o.p2 *= o.Beta2
	a := o.LR / (1 - o.p1)
	c2 := 1 / (1 - o.p2)
	for i, g := range grad {
		o.m[i] = o.Beta1*o.m[i] + (1-o.Beta1)*g
		o.v[i] = o.Beta2*o.v[i] + (1-o.Beta2)*g*g
		theta[i] -= a * o.m[i] / (math.Sqrt(o.v[i]*c2) + o.Eps)
	}
}
