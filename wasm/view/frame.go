package view

import (
	"math"

	"nceplay/wasm/wire"
)

// A Frame is one snapshot from the training worker, decoded (package
// wire describes the fields).
type Frame struct {
	M                 []float64 // wire.MLen metrics
	Grid              []float32 // wire.GridFields fields
	Data, Noise, Hist []float32 // display samples (kept from the last frame that had them)
	Theta             []float64
	Note, Err         string
}

// Get returns metric i (a wire.M* index), NaN if absent.
func (f *Frame) Get(i int) float64 {
	if f == nil || i >= len(f.M) {
		return math.NaN()
	}
	return f.M[i]
}

// Dim returns the dimension of the experiment (0 without a frame).
func (f *Frame) Dim() int {
	if f == nil || len(f.M) < wire.MLen {
		return 0
	}
	return int(f.M[wire.MDim])
}

// Res returns the grid's cells per axis.
func (f *Frame) Res() int { return int(f.Get(wire.MRes)) }

// Step returns the step count.
func (f *Frame) Step() int {
	if f == nil || len(f.M) == 0 {
		return 0
	}
	return int(f.M[wire.MStep])
}

// Box returns the plotting box.
func (f *Frame) Box() (x0, x1, y0, y1 float64) {
	return f.Get(wire.MBoxX0), f.Get(wire.MBoxX1), f.Get(wire.MBoxY0), f.Get(wire.MBoxY1)
}

// Field returns one grid field (a wire.G* index), nil if absent.
func (f *Frame) Field(i int) []float32 {
	if f == nil {
		return nil
	}
	n := len(f.Grid) / wire.GridFields
	if n == 0 {
		return nil
	}
	return f.Grid[i*n : (i+1)*n]
}

// Xs returns the x positions of a 1D grid (cell midpoints).
func (f *Frame) Xs() []float64 {
	x0, x1, _, _ := f.Box()
	n := f.Res()
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = x0 + (float64(i)+0.5)*(x1-x0)/float64(n)
	}
	return xs
}

// Sample returns the frame's metrics as a History sample.
func (f *Frame) Sample() Sample {
	return Sample{
		Step: int(f.Get(wire.MMetricsAt)), Loss: f.Get(wire.MLoss), C: f.Get(wire.MC),
		LogZ: f.Get(wire.MLogZ), LogZTrue: f.Get(wire.MLogZTrue), Mass: f.Get(wire.MMass),
		KL: f.Get(wire.MKL), Accuracy: f.Get(wire.MAcc), BayesAcc: f.Get(wire.MBayesAcc),
	}
}

// exp32 returns exp of each value, as float64.
func exp32(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.Exp(float64(x))
	}
	return out
}

func to64(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

func maxFinite(vs ...[]float64) float64 {
	m := 0.0
	for _, v := range vs {
		for _, x := range v {
			if x > m && !math.IsInf(x, 0) {
				m = x
			}
		}
	}
	return m
}
