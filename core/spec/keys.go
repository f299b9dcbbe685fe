package spec

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// A Kind is the type of a key's value.
type Kind int

// The kinds of key. Their Go types in Spec are: KindEnum string, KindInt
// int, KindUint64 uint64, KindFloat float64, KindBool bool, KindList
// []string.
const (
	KindEnum   Kind = iota // one of Key.Values
	KindInt                // a whole number in Min … Max
	KindUint64             // a decimal uint64 (all of 0 … 2^64−1)
	KindFloat              // a finite number in Min … Max
	KindBool               // 0 or 1
	KindList               // a comma-separated subset of Key.Values
)

// String returns the kind's name: enum, int, uint64, float, bool or list.
func (k Kind) String() string {
	switch k {
	case KindEnum:
		return "enum"
	case KindInt:
		return "int"
	case KindUint64:
		return "uint64"
	case KindFloat:
		return "float"
	case KindBool:
		return "bool"
	case KindList:
		return "list"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// A Key is one row of the spec table of SPEC.md: everything Parse,
// Canonical, the error messages, the README and the UI's controls need to
// know about one query key. The rows are in Keys.
type Key struct {
	Name    string  // the query key, e.g. "lr"
	Kind    Kind    // the value's type
	Default string  // the default value in canonical text form
	Min     float64 // KindInt, KindUint64, KindFloat: the smallest value
	Max     float64 // KindInt, KindUint64, KindFloat: the largest value
	Even    bool    // KindInt: only even values are allowed
	// Values are the allowed values of a KindEnum or KindList key, in
	// table (and canonical list) order; KindBool has "0" and "1".
	Values []string
	// Dims holds, for the target key, the dimension (1 or 2) of each of
	// Values; nil for the other keys.
	Dims  []int
	Label string // a short label for a UI control
	Doc   string // one sentence for tooltips and the README
	Log   bool   // a UI slider for the key should be logarithmic
	View  bool   // view-only: changes nothing computed

	// field returns a pointer to the key's field in s; its type follows
	// Kind (see the Kind constants).
	field func(s *Spec) any
	// relevant reports whether the key matters for s; nil means always.
	// Parse and Canonical set irrelevant keys to their defaults.
	relevant func(s *Spec) bool
}

// Key names and the enum values that the rules of this package refer to.
// Each key name is spelled here once; the table and the rules use these.
const (
	kV        = "v"
	kTarget   = "target"
	kNoise    = "noise"
	kNScale   = "nscale"
	kNShift   = "nshift"
	kModel    = "model"
	kDeg      = "deg"
	kUnits    = "units"
	kLayers   = "layers"
	kObj      = "obj"
	kNorm     = "norm"
	kK        = "k"
	kN        = "n"
	kBatch    = "batch"
	kOpt      = "opt"
	kLR       = "lr"
	kSteps    = "steps"
	kSeed     = "seed"
	kEmbed    = "embed"
	kAutoplay = "autoplay"
	kPanels   = "panels"
	kSpeed    = "speed"
	kTheme    = "theme"

	modelPoly = "poly"
	modelMLP  = "mlp"
	modelRBF  = "rbf"
	objNCE    = "nce"
	objCls    = "cls"
	objNeg    = "neg"
	objRank   = "rank"
	objMLE    = "mle"
	optNewton = "newton"
)

// Keys is the spec table of SPEC.md, in canonical order: the experiment
// keys, then the view-only keys. It is the single description of the
// query language; do not modify it.
var Keys = []Key{
	{Name: kV, Kind: KindInt, Default: "1", Min: 1, Max: 1,
		Label: "Spec version", Doc: "Spec version; only 1 exists.",
		field: func(s *Spec) any { return &s.V }},
	{Name: kTarget, Kind: KindEnum, Default: "quartic",
		Values: targetValues, Dims: targetDims,
		Label: "Data", Doc: "Data distribution p̃ (quartic is G = −x² − x⁴).",
		field: func(s *Spec) any { return &s.Target }},
	{Name: kNoise, Kind: KindEnum, Default: "gauss", Values: []string{"gauss", "uniform", "laplace"},
		Label: "Noise", Doc: "Noise family U, fitted to the data's mean and spread.",
		field: func(s *Spec) any { return &s.Noise }},
	{Name: kNScale, Kind: KindFloat, Default: "1", Min: 0.1, Max: 20, Log: true,
		Label: "Noise scale", Doc: "Multiplies the noise spread (far/narrow noise).",
		field: func(s *Spec) any { return &s.NScale }},
	{Name: kNShift, Kind: KindFloat, Default: "0", Min: -10, Max: 10,
		Label: "Noise shift", Doc: "Shifts the noise mean, in units of the data spread.",
		field: func(s *Spec) any { return &s.NShift }},
	{Name: kModel, Kind: KindEnum, Default: modelPoly, Values: []string{modelPoly, modelMLP, modelRBF},
		Label: "Model", Doc: "Energy G(x;θ): poly = exponential family (1D: x…x^deg; 2D: quadratic), mlp = tanh MLP, rbf = RBF features on a grid.",
		field: func(s *Spec) any { return &s.Model }},
	{Name: kDeg, Kind: KindInt, Default: "4", Min: 2, Max: 8, Even: true,
		Label: "Degree", Doc: "Degree of the poly model on a 1D target (2D poly is quadratic).",
		field:    func(s *Spec) any { return &s.Deg },
		relevant: func(s *Spec) bool { return s.Model == modelPoly && s.Dim() == 1 }},
	{Name: kUnits, Kind: KindInt, Default: "32", Min: 4, Max: 256,
		Label: "Units", Doc: "MLP hidden width, or RBF centres per axis.",
		field:    func(s *Spec) any { return &s.Units },
		relevant: func(s *Spec) bool { return s.Model != modelPoly }},
	{Name: kLayers, Kind: KindInt, Default: "2", Min: 1, Max: 4,
		Label: "Layers", Doc: "Number of MLP hidden layers.",
		field:    func(s *Spec) any { return &s.Layers },
		relevant: func(s *Spec) bool { return s.Model == modelMLP }},
	{Name: kObj, Kind: KindEnum, Default: objNCE, Values: []string{objNCE, objCls, objNeg, objRank, objMLE},
		Label: "Objective", Doc: "Objective: NCE, classifier, negative sampling, ranking or maximum likelihood (NCE.md §2, §4, §5, §6, §7).",
		field: func(s *Spec) any { return &s.Obj }},
	{Name: kNorm, Kind: KindEnum, Default: "learn", Values: []string{"learn", "fixed"},
		Label: "Normalizer", Doc: "Learn the normalizer c, or fix it to 0 (Z = 1); only for obj nce and cls.",
		field:    func(s *Spec) any { return &s.Norm },
		relevant: func(s *Spec) bool { return s.Obj == objNCE || s.Obj == objCls }},
	{Name: kK, Kind: KindInt, Default: "10", Min: 1, Max: 1024, Log: true,
		Label: "Noise ratio k", Doc: "Noise samples per data sample.",
		field: func(s *Spec) any { return &s.K }},
	{Name: kN, Kind: KindInt, Default: "10000", Min: 16, Max: 1000000, Log: true,
		Label: "Data size n", Doc: "Size of the fixed data set drawn from p̃.",
		field: func(s *Spec) any { return &s.N }},
	{Name: kBatch, Kind: KindInt, Default: "256", Min: 1, Max: 65536, Log: true,
		Label: "Batch", Doc: "Data points per step (k·batch noise points).",
		field: func(s *Spec) any { return &s.Batch }},
	{Name: kOpt, Kind: KindEnum, Default: "adam", Values: []string{"adam", "sgd", "momentum", optNewton},
		Label: "Optimizer", Doc: "Optimizer (newton: full-batch second-order, for the convex poly and rbf cases).",
		field: func(s *Spec) any { return &s.Opt }},
	{Name: kLR, Kind: KindFloat, Default: "0.01", Min: 1e-6, Max: 10, Log: true,
		Label: "Learning rate", Doc: "Learning rate.",
		field: func(s *Spec) any { return &s.LR }},
	{Name: kSteps, Kind: KindInt, Default: "2000", Min: 0, Max: 10000000, Log: true,
		Label: "Steps", Doc: "Training steps.",
		field: func(s *Spec) any { return &s.Steps }},
	{Name: kSeed, Kind: KindUint64, Default: "1", Min: 0, Max: math.MaxUint64,
		Label: "Seed", Doc: "One seed for data, noise, init and minibatches.",
		field: func(s *Spec) any { return &s.Seed }},

	{Name: kEmbed, Kind: KindBool, Default: "0", Values: []string{"0", "1"}, View: true,
		Label: "Embed", Doc: "Compact layout without controls, for embedding in a page.",
		field: func(s *Spec) any { return &s.View.Embed }},
	{Name: kAutoplay, Kind: KindBool, Default: "0", Values: []string{"0", "1"}, View: true,
		Label: "Autoplay", Doc: "Start training as soon as the page loads.",
		field: func(s *Spec) any { return &s.View.Autoplay }},
	{Name: kPanels, Kind: KindList, Default: "samples,classifier,density,curves,explain",
		Values: []string{"samples", "classifier", "density", "curves", "explain"}, View: true,
		Label: "Panels", Doc: "Which panels to show, comma-separated.",
		field: func(s *Spec) any { return &s.View.Panels }},
	{Name: kSpeed, Kind: KindFloat, Default: "1", Min: 0.1, Max: 10, Log: true, View: true,
		Label: "Speed", Doc: "Multiplies the training steps run per animation frame.",
		field: func(s *Spec) any { return &s.View.Speed }},
	{Name: kTheme, Kind: KindEnum, Default: "auto", Values: []string{"auto", "light", "dark"}, View: true,
		Label: "Theme", Doc: "Colour theme: follow the system, light or dark.",
		field: func(s *Spec) any { return &s.View.Theme }},
}

// The targets and their dimensions, outside Keys so that Dim, which the
// table's relevance funcs call, does not refer to Keys.
var (
	targetValues = []string{"quartic", "gauss", "bimodal", "laplace", "gauss2d", "ring", "moons", "spiral", "checker"}
	targetDims   = []int{1, 1, 1, 1, 2, 2, 2, 2, 2}
)

// keyIndex maps a key name to its index in Keys.
var keyIndex = make(map[string]int)

func init() {
	for i, k := range Keys {
		keyIndex[k.Name] = i
	}
}

// Lookup returns the row of Keys named name, or nil if there is none.
func Lookup(name string) *Key {
	if i, ok := keyIndex[name]; ok {
		return &Keys[i]
	}
	return nil
}

// key is Lookup for the names this package spells as constants.
func key(name string) *Key { return &Keys[keyIndex[name]] }

// Relevant reports whether the key matters for s. Parse and Canonical set
// an irrelevant key to its default (SPEC.md: deg only for poly on a 1D
// target, units not for poly, layers only for mlp, norm only for nce and
// cls); a UI can hide its control.
func (k *Key) Relevant(s *Spec) bool { return k.relevant == nil || k.relevant(s) }

// Get returns the key's value in s in canonical text form (a KindList
// value lists its known values in table order without duplicates,
// followed by any unknown ones). Get(s) == Default means s holds the
// default.
func (k *Key) Get(s *Spec) string {
	switch p := k.field(s).(type) {
	case *string:
		return *p
	case *int:
		return strconv.Itoa(*p)
	case *uint64:
		return strconv.FormatUint(*p, 10)
	case *float64:
		f := *p
		if f == 0 {
			f = 0 // −0 reads as 0
		}
		return strconv.FormatFloat(f, 'g', -1, 64)
	case *bool:
		if *p {
			return "1"
		}
		return "0"
	case *[]string:
		return strings.Join(k.canonicalList(*p), ",")
	}
	return ""
}

// canonicalList returns the items of list that are in k.Values in table
// order without duplicates, then the unknown ones in the given order.
func (k *Key) canonicalList(list []string) []string {
	out := make([]string, 0, len(list))
	for _, v := range k.Values {
		if slices.Contains(list, v) {
			out = append(out, v)
		}
	}
	for _, v := range list {
		if !slices.Contains(k.Values, v) {
			out = append(out, v)
		}
	}
	return out
}

// Set parses value (already percent-decoded) as the key's value and stores
// it in s. On a malformed, unknown or out-of-range value it returns an
// *Error and leaves s unchanged. Set checks only this key: the rules that
// involve other keys are Validate's.
func (k *Key) Set(s *Spec, value string) error {
	if e := k.set(s, value); e != nil {
		return e
	}
	return nil
}

// set is Set returning the concrete type.
func (k *Key) set(s *Spec, value string) *Error {
	if value == "" {
		return k.errorf("", "has no value")
	}
	switch p := k.field(s).(type) {
	case *string: // KindEnum
		if !slices.Contains(k.Values, value) {
			return k.errorf(value, "is not one of the allowed values")
		}
		*p = value
	case *bool:
		switch value {
		case "0":
			*p = false
		case "1":
			*p = true
		default:
			return k.errorf(value, "is not 0 or 1")
		}
	case *uint64:
		if !isDigits(value) {
			return k.errorf(value, "is not a whole number in decimal")
		}
		u, err := strconv.ParseUint(value, 10, 64)
		if err != nil {
			return k.errorf(value, "is out of range")
		}
		*p = u
	case *int:
		m, ok := parseDecimal(value)
		if !ok || !m.integral() {
			return k.errorf(value, "is not a whole number")
		}
		f, err := strconv.ParseFloat(value, 64)
		if err != nil || f < k.Min || f > k.Max {
			if k.Min == k.Max {
				return k.errorf(value, "is not supported")
			}
			return k.errorf(value, "is out of range")
		}
		if k.Even && int(f)%2 != 0 {
			return k.errorf(value, "is not even")
		}
		*p = int(f)
	case *float64:
		if _, ok := parseDecimal(value); !ok {
			return k.errorf(value, "is not a number")
		}
		f, err := strconv.ParseFloat(value, 64)
		if err != nil || f < k.Min || f > k.Max {
			return k.errorf(value, "is out of range")
		}
		if f == 0 {
			f = 0 // −0 is stored as +0
		}
		*p = f
	case *[]string:
		items := strings.Split(value, ",")
		for _, it := range items {
			if it == "" {
				return k.errorf(value, "has an empty item")
			}
			if !slices.Contains(k.Values, it) {
				return k.errorf(it, "is not one of the allowed values")
			}
		}
		*p = k.canonicalList(items)
	default:
		return k.errorf(value, "has no field in Spec") // a bug in Keys; a test checks
	}
	return nil
}

// errorf returns an error about value of key k with the allowed values.
func (k *Key) errorf(value, reason string) *Error {
	return newError(k.Name, value, reason, k.Allowed())
}

// Allowed describes the key's allowed values, as in the error messages:
// "1 … 1024", "2 … 8 (even)", "0.1 … 20", "gauss, uniform, laplace", "0, 1",
// or for a list "comma-separated subset of samples, classifier, …".
func (k *Key) Allowed() string {
	switch k.Kind {
	case KindEnum, KindBool:
		return strings.Join(k.Values, ", ")
	case KindList:
		return "comma-separated subset of " + strings.Join(k.Values, ", ")
	case KindUint64:
		return "0 … " + strconv.FormatUint(math.MaxUint64, 10)
	case KindInt, KindFloat:
		if k.Min == k.Max {
			return fmtNum(k.Min)
		}
		r := fmtNum(k.Min) + " … " + fmtNum(k.Max)
		if k.Even {
			r += " (even)"
		}
		return r
	}
	return ""
}

// fmtNum formats a number for messages and docs: shortest round-trip
// form, whole numbers below 1e21 without exponent, and exponents without
// leading zeros ("1e-6", not "1e-06").
func fmtNum(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	return strings.NewReplacer("e-0", "e-", "e+0", "e+").Replace(s)
}

// isDigits reports whether s is one or more ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// decimal is the syntax of a decimal number: [sign] int [. frac] [e exp].
type decimal struct {
	intPart, frac, exp string // exp keeps its sign
}

// parseDecimal accepts exactly [+-]digits[.digits][(e|E)[+-]digits] and
// [+-].digits[…]: no hex, no underscores, no Inf or NaN, no spaces.
func parseDecimal(s string) (d decimal, ok bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	d.intPart = s[i:j]
	if j < len(s) && s[j] == '.' {
		j++
		f := j
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		d.frac = s[f:j]
	}
	if d.intPart == "" && d.frac == "" {
		return d, false
	}
	if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		j++
		e := j
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if !isDigits(s[j:]) {
			return d, false
		}
		d.exp = s[e:]
		j = len(s)
	}
	return d, j == len(s)
}

// integral reports whether the decimal's value is a whole number, exactly
// (so "1e4" and "2.50e1" are whole and "2.5" or "1.0000000000000000001"
// are not).
func (d decimal) integral() bool {
	digits := d.intPart + d.frac
	exp := 0
	if d.exp != "" {
		e, err := strconv.Atoi(d.exp)
		if err != nil { // an absurd exponent: whole if ≥ 0 (and out of range)
			return !strings.HasPrefix(d.exp, "-") || strings.Trim(digits, "0") == ""
		}
		exp = e
	}
	// The value is 0.digits × 10^point.
	point := len(d.intPart) + exp
	if point < 0 {
		point = 0
	}
	if point >= len(digits) {
		return true
	}
	return strings.Trim(digits[point:], "0") == ""
}
