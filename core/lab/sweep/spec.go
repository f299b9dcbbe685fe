// Package sweep is the sweep lab (lab=sweep, docs/spec.md#lab-sweep): the
// statistical efficiency of NCE as k, the data size n and the noise
// change. Each repetition draws a fresh data set, fits maximum likelihood
// and, for every noise setting and every k, NCE to their exact optima by
// Newton's method, and records the squared error of θ; the lab compares
// the mean squared errors with each other, with maximum likelihood's on
// the same data sets, and with the asymptotic theory of docs/math.md#e8.
//
// A Sweep is built from a Spec; Workers run its repetitions in slices
// (Step) — one per browser worker or goroutine, each taking the
// repetitions of its residue class — and a Results merges what they
// return, by repetition index, into the same rows whatever the number of
// workers or the order of arrival.
package sweep

import (
	"fmt"
	"slices"
	"strings"

	"nceplay/core/density"
	"nceplay/core/spec"
)

// Name is the lab's value of the lab key.
const Name = "sweep"

// Spec is a parsed, validated sweep. Field comments name the query key.
type Spec struct {
	Lab     string    // lab
	Target  string    // target
	Deg     int       // deg
	Ks      []int     // ks
	Ns      []int     // ns (alias n)
	Noises  []string  // noises
	NScales []float64 // nscales
	NShift  float64   // nshift
	NComp   int       // ncomp
	Reps    int       // reps
	Seed    uint64    // seed
}

// Key names, each spelled once.
const (
	kLab     = "lab"
	kTarget  = "target"
	kDeg     = "deg"
	kKs      = "ks"
	kNs      = "ns"
	kNoises  = "noises"
	kNScales = "nscales"
	kNShift  = "nshift"
	kNComp   = "ncomp"
	kReps    = "reps"
	kSeed    = "seed"
)

// Caps (docs/spec.md#lab-sweep).
const (
	// MaxReps is the most repetitions.
	MaxReps = 10000
	// MaxPoints caps the points a worker holds for one repetition:
	// max(ns)·(1 + max(ks)), as the playground's Newton (spec.MaxNewtonPoints).
	MaxPoints = spec.MaxNewtonPoints
	// MaxWork caps the whole sweep: reps × Σ_n n·(settings·Σ_k (1+k) + 1)
	// × Q², Q the parameters with c — a few minutes natively.
	MaxWork = 1 << 36
	// MaxResults caps reps × cells, the squared errors the results keep.
	MaxResults = 1 << 22
)

// Table is the lab's key table.
var Table *spec.Table[Spec]

func init() { Table = spec.NewTable(Name, keys(), rules()) }

// polyTargets returns the targets whose log-density lies in the poly
// model's family for some degree: the sweep needs the true θ.
func polyTargets() (names []string, dims []int) {
	for _, t := range density.Targets {
		if _, ok := t.New().(density.PolyTarget); ok {
			names = append(names, t.Name)
			dims = append(dims, t.Dim)
		}
	}
	return names, dims
}

func keys() []spec.Key[Spec] {
	targets, dims := polyTargets()
	target := spec.Shared(kTarget, func(s *Spec) any { return &s.Target })
	// Shared keys keep the playground's kind, label and meaning (core/lab's
	// TestSharedKeys); the targets narrow to those whose log-density is a
	// polynomial, so that the poly model holds the truth, and deg must
	// reach the target's own (a rule).
	target.Values, target.Dims = targets, dims
	deg := spec.Shared(kDeg, func(s *Spec) any { return &s.Deg })
	deg.Applies = func(s *Spec) bool { return s.Dim() == 1 }
	nscale := spec.Lookup("nscale") // the playground's row, whose range nscales takes
	nshift := spec.Shared(kNShift, func(s *Spec) any { return &s.NShift })
	ncomp := spec.Shared(kNComp, func(s *Spec) any { return &s.NComp })
	ncomp.Applies = func(s *Spec) bool {
		for _, n := range s.Noises {
			if info, ok := density.LookupNoise(n); ok && info.Components {
				return true
			}
		}
		return false
	}
	seed := spec.Shared(kSeed, func(s *Spec) any { return &s.Seed })
	seed.Doc = "One seed for every repetition's data set and noise samples."
	var noises []string
	for _, n := range density.Noises {
		noises = append(noises, n.Name)
	}
	kRow, nRow := spec.Lookup("k"), spec.Lookup("n") // ks and ns take their ranges
	return []spec.Key[Spec]{
		{Name: kLab, Kind: spec.KindEnum, Default: Name, Values: []string{Name}, Always: true,
			Label: "Lab", Doc: "The lab: NCE's statistical efficiency against maximum likelihood.",
			Ptr: func(s *Spec) any { return &s.Lab }},
		target, deg,
		{Name: kKs, Kind: spec.KindInts, Default: "1,3,10,30", Min: kRow.Min, Max: kRow.Max,
			Label: "Noise ratios k", Doc: "The values of k, comma-separated.",
			Ptr: func(s *Spec) any { return &s.Ks }},
		{Name: kNs, Kind: spec.KindInts, Default: "1000", Min: nRow.Min, Max: nRow.Max, Alias: "n", Log: true,
			Label: "Data sizes n", Doc: "The data sizes n, comma-separated (n alone gives one).",
			Ptr: func(s *Spec) any { return &s.Ns }},
		{Name: kNoises, Kind: spec.KindList, Default: noises[0], Values: noises,
			Label: "Noises", Doc: "The noise families, comma-separated, each fitted to every data set.",
			Ptr: func(s *Spec) any { return &s.Noises }},
		{Name: kNScales, Kind: spec.KindFloats, Default: nscale.Default, Min: nscale.Min, Max: nscale.Max,
			Label: "Noise scales", Doc: "The noise scales (nscale), comma-separated: each widens every noise family.",
			Ptr: func(s *Spec) any { return &s.NScales }},
		nshift, ncomp,
		{Name: kReps, Kind: spec.KindInt, Default: "200", Min: 2, Max: MaxReps, Log: true,
			Label: "Repetitions", Doc: "Independent repetitions: fresh data and noise each, shared by every k and noise.",
			Ptr: func(s *Spec) any { return &s.Reps }},
		seed,
	}
}

// Dim returns the target's dimension (0 if unknown).
func (s Spec) Dim() int {
	if t, ok := density.LookupTarget(s.Target); ok {
		return t.Dim
	}
	return 0
}

// Params returns the model's parameters without c: deg in 1D, 5 in 2D.
func (s Spec) Params() int {
	if s.Dim() == 2 {
		return 5
	}
	return s.Deg
}

// Settings returns the noise settings, every family with every scale, in
// canonical order (families in registry order, scales ascending).
func (s Spec) Settings() []Setting {
	var out []Setting
	for _, n := range s.Noises {
		for _, sc := range s.NScales {
			out = append(out, Setting{Noise: n, NScale: sc})
		}
	}
	return out
}

// A Setting is one noise: a family and its nscale.
type Setting struct {
	Noise  string
	NScale float64
}

// Cost returns the points one repetition holds, max(ns)·(1 + max(ks)),
// and the work of the whole sweep, reps·Σ_n n·(settings·Σ_k (1+k) + 1)·Q².
func (s Spec) Cost() (points, work float64) {
	if len(s.Ns) == 0 || len(s.Ks) == 0 {
		return 0, 0
	}
	points = float64(slices.Max(s.Ns)) * float64(1+slices.Max(s.Ks))
	sk := 0.0
	for _, k := range s.Ks {
		sk += float64(1 + k)
	}
	sn := 0.0
	for _, n := range s.Ns {
		sn += float64(n)
	}
	q := float64(s.Params() + 1)
	return points, float64(s.Reps) * sn * (float64(len(s.Settings()))*sk + 1) * q * q
}

// Cells returns the number of (n, noise setting, k) cells.
func (s Spec) Cells() int { return len(s.Ns) * len(s.Settings()) * len(s.Ks) }

// needDeg returns the degree the target needs (0 if it is not a poly target).
func needDeg(target string) int {
	t, ok := density.LookupTarget(target)
	if !ok {
		return 0
	}
	pt, ok := t.New().(density.PolyTarget)
	if !ok {
		return 0
	}
	for d := 2; d <= 8; d += 2 {
		if _, ok := pt.LogPoly(d); ok {
			return d
		}
	}
	return 0
}

func rules() []spec.Rule[Spec] {
	return []spec.Rule[Spec]{
		{Keys: []string{kDeg, kTarget}, Check: func(s *Spec) (float64, string) {
			need := needDeg(s.Target)
			if s.Dim() != 1 || s.Deg >= need {
				return 0, ""
			}
			return float64(need - s.Deg), fmt.Sprintf("is too low for %s=%s, whose log-density needs degree %d: the sweep measures the error of θ, so the model must hold the truth", kTarget, s.Target, need)
		}},
		{Keys: []string{kNs, kKs}, Check: func(s *Spec) (float64, string) {
			p, _ := s.Cost()
			if p <= MaxPoints {
				return 0, ""
			}
			return p - MaxPoints, fmt.Sprintf("makes a repetition hold max(%s)·(1 + max(%s)) = %.0f points, more than %d; lower %s", kNs, kKs, p, MaxPoints, Table.LowerList(s, kNs, kKs))
		}},
		{Keys: []string{kReps, kNs, kKs, kNScales, kNoises}, Check: func(s *Spec) (float64, string) {
			_, w := s.Cost()
			if w <= MaxWork {
				return 0, ""
			}
			return w - MaxWork, fmt.Sprintf("makes the sweep %s × Σn·(settings·Σ(1+k) + 1) × Q² = %.3g, more than %.3g (minutes of computing); lower %s", kReps, w, float64(MaxWork), Table.LowerList(s, kReps, kNs, kKs, kNScales, kNoises))
		}},
		{Keys: []string{kReps, kNs, kKs, kNScales, kNoises}, Check: func(s *Spec) (float64, string) {
			c := float64(s.Reps) * float64(s.Cells())
			if c <= MaxResults {
				return 0, ""
			}
			return c - MaxResults, fmt.Sprintf("gives %s × cells = %d × %d = %.0f squared errors to keep, more than %d; lower %s", kReps, s.Reps, s.Cells(), c, MaxResults, Table.LowerList(s, kReps, kNs, kKs, kNScales, kNoises))
		}},
	}
}

// Parse parses a query of the lab (see spec.Table.Parse).
func Parse(query string) (Spec, error) { return Table.Parse(query) }

// Validate checks a spec built by hand.
func (s Spec) Validate() error { return Table.Validate(s) }

// Query returns the canonical query (the lab key included).
func (s Spec) Query() string { return Table.Query(s, false) }

// String names a setting, e.g. "gauss×2".
func (st Setting) String() string {
	return fmt.Sprintf("%s×%s", st.Noise, strings.TrimSuffix(fmt.Sprintf("%g", st.NScale), ".0"))
}
