package mathml

// The tables below map TeX commands to what they produce. Each command
// appears in exactly one table; parseCommand consults them in turn.

// greek maps Greek letter commands to their characters. Upper-case letters
// are upright in TeX, so they are emitted with mathvariant="normal".
var greek = map[string]string{
	"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ",
	"varepsilon": "ε", "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ",
	"iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
	"pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ",
	"varsigma": "ς", "tau": "τ", "upsilon": "υ", "phi": "ϕ", "varphi": "φ",
	"chi": "χ", "psi": "ψ", "omega": "ω",
	"Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
	"Pi": "Π", "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}

// ordinary maps commands for symbols that are identifiers (TeX class Ord).
// The boolean says whether the glyph must be kept upright.
var ordinary = map[string]struct {
	s       string
	upright bool
}{
	"infty":    {"∞", false},
	"nabla":    {"∇", true},
	"partial":  {"∂", false},
	"ell":      {"ℓ", false},
	"top":      {"⊤", true},
	"bot":      {"⊥", true},
	"emptyset": {"∅", true},
	"forall":   {"∀", true},
	"exists":   {"∃", true},
	"prime":    {"′", true},
}

// operators maps commands for binary operators, relations and punctuation
// to their characters and TeX class; their spacing comes from the MathML
// operator dictionary.
var operators = map[string]struct {
	s     string
	class class
}{
	"cdot": {"⋅", bin}, "times": {"×", bin}, "pm": {"±", bin}, "mp": {"∓", bin},
	"circ": {"∘", bin}, "setminus": {"∖", bin}, "cap": {"∩", bin}, "cup": {"∪", bin},
	"le": {"≤", rel}, "leq": {"≤", rel}, "ge": {"≥", rel}, "geq": {"≥", rel},
	"ne": {"≠", rel}, "neq": {"≠", rel}, "approx": {"≈", rel}, "equiv": {"≡", rel},
	"sim": {"∼", rel}, "simeq": {"≃", rel}, "propto": {"∝", rel}, "to": {"→", rel},
	"rightarrow": {"→", rel}, "leftarrow": {"←", rel}, "gets": {"←", rel},
	"Rightarrow": {"⇒", rel}, "Leftarrow": {"⇐", rel}, "iff": {"⟺", rel},
	"implies": {"⟹", rel}, "mapsto": {"↦", rel}, "in": {"∈", rel},
	"notin": {"∉", rel}, "subset": {"⊂", rel}, "subseteq": {"⊆", rel},
	"ll": {"≪", rel}, "gg": {"≫", rel}, "perp": {"⊥", rel},
	"succeq": {"⪰", rel}, "preceq": {"⪯", rel}, "longrightarrow": {"⟶", rel},
	"star":  {"⋆", bin},
	"ldots": {"…", inner}, "dots": {"…", inner}, "cdots": {"⋯", inner},
	"colon": {":", punct},
}

// largeOps maps big operators to their characters and whether their limits
// go above and below in display mode (∑, ∏) or stay at the side (∫).
var largeOps = map[string]struct {
	s      string
	limits bool
}{
	"sum": {"∑", true}, "prod": {"∏", true}, "coprod": {"∐", true},
	"bigcup": {"⋃", true}, "bigcap": {"⋂", true},
	"int": {"∫", false}, "iint": {"∬", false}, "oint": {"∮", false},
}

// functions maps operator names set upright (\log x). The boolean says
// whether subscripts go underneath in display mode (\max_θ).
var functions = map[string]bool{
	"log": false, "exp": false, "ln": false, "lg": false, "sin": false,
	"cos": false, "tan": false, "sinh": false, "cosh": false, "tanh": false,
	"arg": false, "dim": false, "ker": false, "deg": false,
	"min": true, "max": true, "sup": true, "inf": true, "lim": true,
	"det": true, "Pr": true, "gcd": true,
}

// delimiters maps delimiter commands (after \left, \right, \big…, or on
// their own) to their characters and class.
var delimiters = map[string]struct {
	s     string
	class class
}{
	"{": {"{", open}, "}": {"}", close}, "lbrace": {"{", open}, "rbrace": {"}", close},
	"langle": {"⟨", open}, "rangle": {"⟩", close},
	"lfloor": {"⌊", open}, "rfloor": {"⌋", close},
	"lceil": {"⌈", open}, "rceil": {"⌉", close},
	"lvert": {"|", open}, "rvert": {"|", close}, "vert": {"|", ord},
	"lVert": {"‖", open}, "rVert": {"‖", close}, "Vert": {"‖", ord}, "|": {"‖", ord},
}

// accents maps accent commands to the accent character and whether it
// stretches over its base.
var accents = map[string]struct {
	s       string
	stretch bool
}{
	"tilde": {"˜", false}, "hat": {"ˆ", false}, "bar": {"¯", false},
	"check": {"ˇ", false}, "breve": {"˘", false}, "dot": {"˙", false},
	"ddot": {"¨", false}, "vec": {"→", false},
	"widetilde": {"˜", true}, "widehat": {"ˆ", true}, "overline": {"‾", true},
}

// spaces maps spacing commands to widths.
var spaces = map[string]string{
	",": "0.1667em", "thinspace": "0.1667em", ":": "0.2222em", ">": "0.2222em",
	"medspace": "0.2222em", ";": "0.2778em", "thickspace": "0.2778em",
	" ": "0.25em", "quad": "1em", "qquad": "2em",
}

// bigSizes maps \big and its relatives to the delimiter height and class.
var bigSizes = map[string]struct {
	size  string
	class class // ord: take the delimiter's own class
}{
	"big": {"1.2em", ord}, "Big": {"1.623em", ord}, "bigg": {"2.047em", ord}, "Bigg": {"2.470em", ord},
	"bigl": {"1.2em", open}, "Bigl": {"1.623em", open}, "biggl": {"2.047em", open}, "Biggl": {"2.470em", open},
	"bigr": {"1.2em", close}, "Bigr": {"1.623em", close}, "biggr": {"2.047em", close}, "Biggr": {"2.470em", close},
	"bigm": {"1.2em", rel}, "Bigm": {"1.623em", rel}, "biggm": {"2.047em", rel}, "Biggm": {"2.470em", rel},
}

// escapes maps backslash-escaped characters to operators.
var escapes = map[string]string{"%": "%", "&": "&", "#": "#", "_": "_"}

// fontLetter returns the Mathematical Alphanumeric Symbols character of r
// in the given font (bb, bf or cal), or r itself when the font has none.
func fontLetter(font string, r rune) rune {
	switch font {
	case "bb":
		if s, ok := map[rune]rune{'C': 'ℂ', 'H': 'ℍ', 'N': 'ℕ', 'P': 'ℙ', 'Q': 'ℚ', 'R': 'ℝ', 'Z': 'ℤ'}[r]; ok {
			return s
		}
		return shift(r, 0x1D538, 0x1D552, 0x1D7D8)
	case "bf":
		return shift(r, 0x1D400, 0x1D41A, 0x1D7CE)
	case "cal":
		if s, ok := map[rune]rune{'B': 'ℬ', 'E': 'ℰ', 'F': 'ℱ', 'H': 'ℋ', 'I': 'ℐ', 'L': 'ℒ', 'M': 'ℳ', 'R': 'ℛ', 'e': 'ℯ', 'g': 'ℊ', 'o': 'ℴ'}[r]; ok {
			return s
		}
		return shift(r, 0x1D49C, 0x1D4B6, 0)
	}
	return r
}

// shift moves A–Z to upper, a–z to lower and 0–9 to digit (when not 0).
func shift(r, upper, lower, digit rune) rune {
	switch {
	case r >= 'A' && r <= 'Z':
		return upper + r - 'A'
	case r >= 'a' && r <= 'z':
		return lower + r - 'a'
	case r >= '0' && r <= '9' && digit != 0:
		return digit + r - '0'
	}
	return r
}
