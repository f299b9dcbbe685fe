// Package codegen writes an experiment of the playground as a short,
// readable PyTorch script (PyTorch) that a learner runs to get the same
// result: the script samples its own data with torch's random numbers,
// fits the noise as the engine does (docs/math.md#noise), defines the
// model, computes the objective exactly as the engine does (docs/math.md#e3,
// docs/math.md#e7, docs/math.md#mle), trains with the same optimizer and
// prints the engine's metrics by the same quadrature (docs/math.md#metrics)
// as one JSON line. It imports nothing from the project. NumPy writes the
// same experiment with NumPy alone, for the poly model.
//
// The scripts are text/template files embedded in the package, one part
// per registry value ("target ring", "model mlp", …), picked by the spec's
// values; everything else is asked of the registries' rows. The package
// uses only the standard library and the core's registries (no os, no
// exec), so a worker built for WebAssembly can call it.
package codegen

import (
	"bytes"
	"embed"
	"fmt"
	"math"
	"strconv"
	"strings"
	"text/template"

	"nceplay/core/density"
	"nceplay/core/model"
	"nceplay/core/objective"
	"nceplay/core/spec"
)

//go:embed torch.tmpl.py numpy.tmpl.py
var files embed.FS

// An Error says why a spec cannot be written as a script.
type Error struct {
	Query, Reason string
}

func (e *Error) Error() string {
	q := e.Query
	if q == "" {
		q = "(default)"
	}
	return fmt.Sprintf("codegen: %s cannot be exported: %s", q, e.Reason)
}

// PyTorch returns the PyTorch script of s (docs/spec.md#code). The same
// spec gives the same text, byte for byte. It fails only on an invalid
// spec: every experiment of the playground has its script.
func PyTorch(s spec.Spec) (string, error) { return render("torch.tmpl.py", s) }

// NumPy returns the NumPy script of s: the same experiment with NumPy
// alone and hand-written gradients, for the poly model and the
// first-order optimizers only (an *Error otherwise).
func NumPy(s spec.Spec) (string, error) {
	if err := s.Validate(); err != nil {
		return "", err
	}
	if why := NumPyUnsupported(s.Normalized()); why != "" {
		return "", &Error{s.ExperimentQuery(), why}
	}
	return render("numpy.tmpl.py", s)
}

// NumPyUnsupported returns why the NumPy script cannot write s, or "" if
// it can: it has the poly model, the first-order optimizers and the
// noises fitted to the data's mean and spread (not the mixture's EM).
func NumPyUnsupported(s spec.Spec) string {
	switch o := s.Optimizer(); {
	case s.Model != model.PolyInfo.Name:
		return "the NumPy script has the poly model only (its gradients are written by hand); use the PyTorch script for model=" + s.Model
	case o.SecondOrder:
		return "the NumPy script has the first-order optimizers only; use the PyTorch script for opt=" + o.Name
	}
	if info, ok := density.LookupNoise(s.Noise); ok && info.Components {
		return "the NumPy script has no EM for noise=" + s.Noise + " (docs/math.md#e13); use the PyTorch script"
	}
	return ""
}

// templates parses a script's template set, with the function part that
// executes the part named "<kind> <registry value>".
func templates(name string) (*template.Template, error) {
	var t *template.Template
	part := func(kind, value string, data any) (string, error) {
		p := t.Lookup(kind + " " + value)
		if p == nil {
			return "", fmt.Errorf("codegen: %s has no part %q", name, kind+" "+value)
		}
		var b bytes.Buffer
		if err := p.Execute(&b, data); err != nil {
			return "", err
		}
		return b.String(), nil
	}
	t = template.New(name).Funcs(template.FuncMap{"part": part})
	return t.ParseFS(files, name)
}

// render executes the script template called name for s.
func render(name string, s spec.Spec) (string, error) {
	if err := s.Validate(); err != nil {
		return "", err
	}
	s = s.Normalized()
	t, err := templates(name)
	if err != nil {
		return "", err
	}
	d, err := newData(s)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "main", d); err != nil {
		return "", err
	}
	return tidy(b.String()), nil
}

// tidy lays the template's output out in Python's style: no trailing
// spaces, no blank line at the start, at most one blank line in a row
// inside code, two around every top-level definition (with the comment
// lines right above it), one newline at the end.
func tidy(s string) string {
	var out []string
	blank, inDef := 0, false
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			blank++
			continue
		}
		top := !strings.HasPrefix(l, " ") && !strings.HasPrefix(l, ")")
		want := min(blank, 1)
		if top && (strings.HasPrefix(l, "def ") || inDef) {
			want = 2
		}
		if top {
			inDef = strings.HasPrefix(l, "def ")
		}
		if inDef && strings.HasPrefix(l, "def ") {
			// Keep the comment lines right above a definition with it.
			i := len(out)
			for i > 0 && strings.HasPrefix(out[i-1], "#") {
				i--
			}
			if i < len(out) && i > 0 {
				comments := append([]string(nil), out[i:]...)
				out = append(out[:i], "", "")
				out = append(out, comments...)
				want = 0
			}
		}
		if len(out) > 0 && strings.HasPrefix(out[len(out)-1], "# ----") && !strings.HasPrefix(l, "def ") {
			want = 0 // a section's heading sits on its first line
		}
		if len(out) > 0 {
			for range want {
				out = append(out, "")
			}
		}
		blank = 0
		out = append(out, l)
	}
	// The blank lines pushed above comments may double up with earlier ones.
	var res []string
	run := 0
	for _, l := range out {
		if l == "" {
			if run++; run > 2 {
				continue
			}
		} else {
			run = 0
		}
		res = append(res, l)
	}
	return strings.Join(res, "\n") + "\n"
}

// data is what the templates read: the spec's values, formatted as
// Python literals, and the answers of the registries' rows.
type data struct {
	Query, Title, Summary    string
	Target, Noise, Model     string
	Opt                      string
	TargetDoc, NoiseDoc      string
	ModelPhrase              string
	ObjName, ObjPhrase       string
	ObjCite                  string
	Dim                      int
	BoxLo, BoxHi             string
	N, K, Batch, Steps       int
	LR                       string
	Seed                     uint64
	Deg, Units, Layers       int
	NoiseMean, NoiseSpread   string
	NScaleTimes              string
	LearnC, Scalar           bool
	EstimatesLogZ            bool
	Binary, Ranking          bool
	LogitHasNoise            bool
	Logit, ReadBack, Scalars string
	Ridge                    string
	FirstOrder, Newton       bool
	Cosine                   bool
	FreeParams               int
	MetricRes, MLERes        int
	MetricCells, MLECells    string
	NComp, MixIter           int
	MixPoints                int
	MixFloor, MixTol         string
}

// The metrics' quadrature cells per axis, nce.MetricRes1D and
// nce.MetricRes2D (a test checks them): spelled here so that the package
// does not link the engine, which a page calling it does not need.
const (
	metricRes1D = 2000
	metricRes2D = 96
)

// mixTol is EM's stopping rule (density's, unexported there): a gain in
// mean log-likelihood per point below it ends the fit.
const mixTol = 1e-4

// py formats a float as the shortest Python literal that reads back the
// same float64.
func py(v float64) string {
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return s
}

func pyList(v []float64) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = py(x)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func newData(s spec.Spec) (*data, error) {
	tinfo, ok := density.LookupTarget(s.Target)
	if !ok {
		return nil, fmt.Errorf("codegen: unknown target %q", s.Target)
	}
	if tinfo.Data {
		return nil, fmt.Errorf("codegen: target=%s is your own data set, which the script cannot sample; export it for a target with a sampler (docs/spec.md#data)", s.Target)
	}
	ninfo, _ := density.LookupNoise(s.Noise)
	obj := s.Objective()
	m := s.ModelInfo()
	o := s.Optimizer()
	dim := tinfo.Dim
	box := tinfo.New().Box()
	d := &data{
		Query: s.ExperimentQuery(), Target: s.Target, Noise: s.Noise, Model: s.Model, Opt: s.Opt,
		TargetDoc: tinfo.Doc, NoiseDoc: ninfo.Doc, ModelPhrase: m.Phrase(s.Shape()),
		ObjName: obj.Name, ObjPhrase: obj.Phrase, ObjCite: obj.Cite,
		Dim: dim, BoxLo: pyList(box.Lo[:dim]), BoxHi: pyList(box.Hi[:dim]),
		N: s.N, K: s.K, Batch: s.Batch, Steps: s.Steps, LR: py(s.LR), Seed: s.Seed,
		Deg: s.Deg, Units: s.Units, Layers: s.Layers,
		LearnC: obj.Scalar && s.Norm == spec.NormLearn, Scalar: obj.Scalar, EstimatesLogZ: obj.EstimatesLogZ,
		Binary: obj.Kernel == objective.Binary, Ranking: obj.Kernel == objective.Ranking,
		LogitHasNoise: obj.LogitHasNoise,
		Newton:        o.SecondOrder, FirstOrder: !o.SecondOrder,
		Cosine:    s.Schedule().Factor != nil,
		MetricRes: metricRes1D, MetricCells: fmt.Sprintf("%d cells, as the engine", metricRes1D),
		MLERes: spec.MLEQuadPoints1D, MLECells: fmt.Sprintf("%d cells", spec.MLEQuadPoints1D),
		NComp: s.NComp, MixIter: density.MixMaxIter, MixPoints: density.MixMaxPoints,
		MixFloor: py(density.MixFloor), MixTol: py(mixTol),
	}
	if dim == 2 {
		d.MetricRes, d.MetricCells = metricRes2D, fmt.Sprintf("%d² cells, as the engine", metricRes2D)
		r := int(math.Round(math.Sqrt(spec.MLEQuadPoints2D)))
		d.MLERes, d.MLECells = r, fmt.Sprintf("%d² cells", r)
	}
	if d.Query == "" {
		d.Title = "(the default spec)"
	} else {
		d.Title = d.Query
	}
	d.Summary = fmt.Sprintf("%s on %s data, %s noise", obj.Phrase, s.Target, s.Noise)
	if obj.DrawsNoise() {
		d.Summary += fmt.Sprintf(" (k = %d)", s.K)
	}
	d.Summary += ", model: " + m.Phrase(s.Shape())

	// The noise's centre and spread: the data's, moved by nshift and
	// widened by nscale (docs/math.md#noise).
	d.NoiseMean, d.NoiseSpread = "mean", "sd"
	if s.NShift != 0 {
		d.NoiseMean = "(mean + " + py(s.NShift) + " * sd)"
	}
	if s.NScale != 1 {
		d.NoiseSpread = py(s.NScale) + " * sd"
		d.NScaleTimes = py(s.NScale) + " * "
	}

	// The logit and the read-back, from the objective's row.
	switch {
	case obj.Kernel != objective.Binary:
	case obj.LogitHasNoise:
		d.Logit = "return g - c - math.log(K) - log_u  # " + obj.Name + ": z = G − c − log k − log U (docs/math.md#e2)"
	case obj.Scalar:
		d.Logit = "return g - c  # " + obj.Name + ": z = G − γ, the classifier form (docs/math.md#e5)"
	default:
		d.Logit = "return g  # " + obj.Name + ": z = G, the classifier form with γ = 0 (docs/math.md#e6)"
	}
	switch obj.ReadBack {
	case objective.ExpGMinusC:
		d.ReadBack = "log_p = g - c  # the read-back density p̂ = exp(G − c) (docs/math.md#e2)"
	case objective.TimesKU:
		if obj.Scalar {
			d.ReadBack = "log_p = g - c + math.log(K) + log_noise(X)  # p̂ = exp(G − γ)·k·U (docs/math.md#e5)"
		} else {
			d.ReadBack = "log_p = g + math.log(K) + log_noise(X)  # p̂ = exp(G)·k·U (docs/math.md#e5 with γ = 0)"
		}
	case objective.Normalized:
		d.ReadBack = "log_p = g - log_z  # p̂ = exp(G)/Z (docs/math.md#metrics)"
	}
	switch {
	case obj.EstimatesLogZ:
		d.Scalars = `"c": num(c.item()), `
	case obj.ExactLogZ:
		d.Scalars = `"c": num(log_z), `
	case obj.Scalar:
		d.Scalars = `"c": None, "gamma": num(c.item()), `
	default:
		d.Scalars = `"c": None, `
	}
	if m.PriorSD > 0 {
		d.Ridge = " + 0.5 * RIDGE * (theta**2).sum()"
		if m.PriorSD != 10 {
			return nil, fmt.Errorf("codegen: model %s's prior sd is %g; the template writes 10", m.Name, m.PriorSD)
		}
	}
	if o.SecondOrder {
		d.FreeParams = m.New(s.Shape(), box).NumParams()
		if d.LearnC {
			d.FreeParams++
		}
	}
	return d, nil
}
