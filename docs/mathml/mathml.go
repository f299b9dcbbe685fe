// Package mathml converts the subset of TeX math used in the project's
// documentation into MathML Core, the part of MathML that browsers render
// natively. It needs nothing beyond the standard library, so the
// documentation server and the WebAssembly UI can both use it.
//
// The subset: letters, digits and operator characters; ^, _ and ' (prime);
// braces; \frac, \tfrac, \dfrac, \sqrt (with an optional index); \left,
// \middle and \right; \big, \Big, \bigg, \Bigg and their l/r/m forms;
// Greek letters; accents (\tilde, \hat, \bar, \overline, …); \mathbb,
// \mathbf, \mathcal, \mathrm, \mathit; \text and \operatorname (\operatorname*
// takes limits); large operators (\sum, \prod, \int, …) with \limits and
// \nolimits; named functions (\log, \exp, \max, …); relations and binary
// operators (\le, \approx, \in, \sim, \cdot, \times, …); delimiters (\{,
// \|, \langle, …); spaces (\, \: \; \quad \qquad); \mid; and \tag{…} for a
// visible equation label. Anything else is an error that names it.
package mathml

import (
	"fmt"
	"strings"
	"unicode"
)

// Convert returns the MathML for the TeX math expression tex: a <math>
// element, with display="block" when display is set (a formula on its own
// line, with limits of sums set above and below). An unknown command or a
// malformed expression is an error that names the command or the problem
// and its offset in tex.
func Convert(tex string, display bool) (string, error) {
	p := &parser{src: []rune(tex), display: display}
	row, err := p.parseRow(0)
	if err != nil {
		return "", err
	}
	if !p.eof() {
		if p.src[p.pos] == '}' {
			return "", p.errorf("unmatched }")
		}
		name := p.peekCommand()
		return "", p.errorf("\\%s without a matching \\left", name)
	}
	if p.tag != "" {
		row = append(row, &node{tag: "mspace", attrs: []string{"width", "2em"}},
			&node{tag: "mtext", text: "(" + p.tag + ")"})
	}
	var b strings.Builder
	b.WriteString("<math")
	if display {
		b.WriteString(` display="block"`)
	}
	b.WriteString(">")
	for _, n := range row {
		n.write(&b)
	}
	b.WriteString("</math>")
	return b.String(), nil
}

// class is an atom's TeX class, which decides the spacing around named
// functions and the unary reading of + and −.
type class int

const (
	ord class = iota
	op        // a large operator
	fn        // a named function such as log
	bin
	rel
	open
	close
	punct
	inner
)

// A node is one MathML element: a token element with text, or an element
// with children.
type node struct {
	tag    string
	attrs  []string // name, value pairs
	text   string
	kids   []*node
	class  class
	limits bool // a large operator or function whose scripts go above and below
}

// write appends the node's markup to b.
func (n *node) write(b *strings.Builder) {
	b.WriteString("<" + n.tag)
	for i := 0; i+1 < len(n.attrs); i += 2 {
		b.WriteString(" " + n.attrs[i] + `="`)
		escape(b, n.attrs[i+1], true)
		b.WriteString(`"`)
	}
	b.WriteString(">")
	if n.text != "" {
		escape(b, n.text, false)
	}
	for _, k := range n.kids {
		k.write(b)
	}
	b.WriteString("</" + n.tag + ">")
}

// escape writes s with the characters that are special in HTML and XML
// replaced by entities (the quote only inside attributes).
func escape(b *strings.Builder, s string, attr bool) {
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"' && attr:
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
}

func token(tag, text string, c class, attrs ...string) *node {
	return &node{tag: tag, text: text, class: c, attrs: attrs}
}

func elem(tag string, kids ...*node) *node { return &node{tag: tag, kids: kids} }

// group returns the nodes as one node: the node itself when there is one,
// an <mrow> otherwise (so that <mfrac>, <msub> and the like always get
// exactly one child per argument).
func group(row []*node) *node {
	if len(row) == 1 {
		return row[0]
	}
	return &node{tag: "mrow", kids: row}
}

type parser struct {
	src     []rune
	pos     int
	display bool
	font    string // "", "rm", "bb", "bf" or "cal"
	tag     string
	depth   int // rows being parsed (1 at the top level)
	nest    int // atoms being parsed, one inside another
}

// maxDepth bounds the nesting of groups and of atoms inside atoms (as in
// \sqrt\sqrt x), so that no input can exhaust the stack.
const maxDepth = 200

func (p *parser) eof() bool { return p.pos >= len(p.src) }

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("mathml: "+format+" (at offset %d)", append(args, p.pos)...)
}

func (p *parser) skipSpace() {
	for !p.eof() && unicode.IsSpace(p.src[p.pos]) {
		p.pos++
	}
}

// peekCommand returns the name of the command at the current position
// (after its backslash), or "" when there is none.
func (p *parser) peekCommand() string {
	if p.eof() || p.src[p.pos] != '\\' || p.pos+1 >= len(p.src) {
		return ""
	}
	i := p.pos + 1
	if !isLetter(p.src[i]) {
		return string(p.src[i])
	}
	for i < len(p.src) && isLetter(p.src[i]) {
		i++
	}
	return string(p.src[p.pos+1 : i])
}

// readCommand consumes a command and returns its name.
func (p *parser) readCommand() (string, error) {
	name := p.peekCommand()
	if name == "" {
		return "", p.errorf(`a lone \ at the end`)
	}
	p.pos += 1 + len([]rune(name))
	return name, nil
}

func isLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

// parseRow parses atoms up to the end of input, a closing brace, the stop
// rune (when not 0) at this level, or \right or \middle; it leaves the
// terminator unconsumed.
func (p *parser) parseRow(stop rune) ([]*node, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, p.errorf("nesting deeper than %d", maxDepth)
	}
	var row []*node
	for {
		p.skipSpace()
		if p.eof() {
			break
		}
		r := p.src[p.pos]
		if r == '}' || (stop != 0 && r == stop) {
			break
		}
		if r == '\\' {
			if c := p.peekCommand(); c == "right" || c == "middle" {
				break
			}
		}
		a, err := p.parseAtom()
		if err != nil {
			return nil, err
		}
		if a == nil {
			continue
		}
		if a, err = p.parseScripts(a); err != nil {
			return nil, err
		}
		row = append(row, a)
	}
	return spaceRow(row), nil
}

// parseGroup parses {…} (the opening brace is current) into one node.
func (p *parser) parseGroup() (*node, error) {
	start := p.pos
	p.pos++
	row, err := p.parseRow(0)
	if err != nil {
		return nil, err
	}
	if p.eof() || p.src[p.pos] != '}' {
		p.pos = start
		if !p.eof() && p.src[p.pos] == '\\' {
			return nil, p.errorf("{ closed by \\%s", p.peekCommand())
		}
		return nil, p.errorf("{ without a matching }")
	}
	p.pos++
	g := group(row)
	if len(row) != 1 {
		g.class = ord
	}
	return g, nil
}

// parseArg parses one argument of a command or script: a braced group or
// a single token (one character, so x^12 is x² followed by 2, as in TeX).
func (p *parser) parseArg(what string) (*node, error) {
	p.skipSpace()
	if p.eof() || p.src[p.pos] == '}' {
		return nil, p.errorf("%s: missing argument", what)
	}
	switch r := p.src[p.pos]; {
	case r == '{':
		return p.parseGroup()
	case r >= '0' && r <= '9':
		p.pos++
		return token("mn", string(r), ord), nil
	case r == '^' || r == '_':
		return nil, p.errorf("%s: missing argument before %c", what, r)
	}
	a, err := p.parseAtom()
	if err != nil {
		return nil, err
	}
	if a == nil {
		return nil, p.errorf("%s: missing argument", what)
	}
	return a, nil
}

// parseScripts attaches the ^, _ and ' that follow base.
func (p *parser) parseScripts(base *node) (*node, error) {
	var sub, sup *node
	var primes []*node
	for {
		p.skipSpace()
		if p.eof() {
			break
		}
		r := p.src[p.pos]
		if r == '\'' {
			p.pos++
			primes = append(primes, token("mo", "′", ord))
			continue
		}
		if r == '\\' && base.class == op {
			if c := p.peekCommand(); c == "limits" || c == "nolimits" {
				p.pos += 1 + len(c)
				base.limits = c == "limits"
				continue
			}
		}
		if r != '^' && r != '_' {
			break
		}
		p.pos++
		arg, err := p.parseArg(string(r))
		if err != nil {
			return nil, err
		}
		if r == '^' {
			if sup != nil {
				return nil, p.errorf("double superscript")
			}
			sup = arg
		} else {
			if sub != nil {
				return nil, p.errorf("double subscript")
			}
			sub = arg
		}
	}
	if len(primes) > 0 {
		if sup != nil {
			primes = append(primes, sup)
		}
		sup = group(primes)
	}
	if sub == nil && sup == nil {
		return base, nil
	}
	under := base.limits && p.display
	var n *node
	switch {
	case sub != nil && sup != nil && under:
		n = elem("munderover", base, sub, sup)
	case sub != nil && sup != nil:
		n = elem("msubsup", base, sub, sup)
	case sub != nil && under:
		n = elem("munder", base, sub)
	case sub != nil:
		n = elem("msub", base, sub)
	case under:
		n = elem("mover", base, sup)
	default:
		n = elem("msup", base, sup)
	}
	n.class = base.class
	return n, nil
}

// parseAtom parses one atom without its scripts. It returns nil for input
// that produces nothing (\tag, \limits outside an operator).
func (p *parser) parseAtom() (*node, error) {
	p.nest++
	defer func() { p.nest-- }()
	if p.nest > maxDepth {
		return nil, p.errorf("nesting deeper than %d", maxDepth)
	}
	r := p.src[p.pos]
	switch {
	case r == '{':
		return p.parseGroup()
	case r == '\\':
		return p.parseCommand()
	case r == '^' || r == '_':
		// A script with nothing before it (TeX's {}^2) attaches to an
		// empty base.
		return &node{tag: "mrow"}, nil
	case r >= '0' && r <= '9' || r == '.' && p.pos+1 < len(p.src) && isDigit(p.src[p.pos+1]):
		return p.parseNumber(), nil
	case isLetter(r):
		return p.parseLetters(), nil
	case r == '~':
		p.pos++
		return token("mspace", "", ord, "width", "0.25em"), nil
	case r == '&':
		return nil, p.errorf("alignment (&) is not supported")
	case r == '%':
		return nil, p.errorf(`%% starts a TeX comment, which is not supported; write \%%`)
	case r == '#' || r == '$':
		return nil, p.errorf("unexpected %c", r)
	case r == '\'':
		p.pos++
		return token("mo", "′", ord), nil
	}
	p.pos++
	return operatorChar(r), nil
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// parseNumber reads digits with at most one decimal point inside them.
func (p *parser) parseNumber() *node {
	start := p.pos
	dot := false
	for !p.eof() {
		r := p.src[p.pos]
		if isDigit(r) {
			p.pos++
			continue
		}
		if r == '.' && !dot && p.pos+1 < len(p.src) && isDigit(p.src[p.pos+1]) {
			dot = true
			p.pos++
			continue
		}
		break
	}
	s := string(p.src[start:p.pos])
	if p.font == "bb" || p.font == "bf" {
		return token("mn", mapFont(p.font, s), ord)
	}
	return token("mn", s, ord)
}

// parseLetters reads one letter, or in \mathrm a run of letters (one
// upright identifier such as KL).
func (p *parser) parseLetters() *node {
	start := p.pos
	p.pos++
	if p.font == "rm" {
		for !p.eof() && isLetter(p.src[p.pos]) {
			p.pos++
		}
		s := string(p.src[start:p.pos])
		if len(s) == 1 {
			return token("mi", s, ord, "mathvariant", "normal")
		}
		return token("mi", s, ord)
	}
	return token("mi", mapFont(p.font, string(p.src[start:p.pos])), ord)
}

func mapFont(font, s string) string {
	if font == "" || font == "rm" {
		return s
	}
	rs := []rune(s)
	for i, r := range rs {
		rs[i] = fontLetter(font, r)
	}
	return string(rs)
}

// operatorChar returns the node for a character that is neither a letter
// nor a digit: an operator or punctuation (a non-ASCII letter is an
// identifier).
func operatorChar(r rune) *node {
	switch r {
	case '-':
		return token("mo", "−", bin)
	case '*':
		return token("mo", "∗", bin)
	case '+', '±', '−', '×', '⋅':
		return token("mo", string(r), bin)
	case '=', '<', '>', ':', '≤', '≥', '≠', '≈', '∼', '→', '∈':
		return token("mo", string(r), rel)
	case ',', ';':
		return token("mo", string(r), punct)
	case '(', '[':
		return token("mo", string(r), open, "stretchy", "false")
	case ')', ']':
		return token("mo", string(r), close, "stretchy", "false")
	case '|':
		return token("mo", "|", ord, "stretchy", "false", "lspace", "0", "rspace", "0")
	case '/', '.', '!', '?', '@':
		return token("mo", string(r), ord, "lspace", "0", "rspace", "0")
	}
	if unicode.IsLetter(r) {
		return token("mi", string(r), ord)
	}
	if unicode.IsDigit(r) {
		return token("mn", string(r), ord)
	}
	return token("mo", string(r), ord)
}

// parseCommand parses a command (the backslash is current) with its
// arguments.
func (p *parser) parseCommand() (*node, error) {
	start := p.pos
	name, err := p.readCommand()
	if err != nil {
		return nil, err
	}
	if s, ok := greek[name]; ok {
		if unicode.IsUpper([]rune(s)[0]) {
			return token("mi", s, ord, "mathvariant", "normal"), nil
		}
		return token("mi", s, ord), nil
	}
	if o, ok := ordinary[name]; ok {
		if o.upright {
			return token("mi", o.s, ord, "mathvariant", "normal"), nil
		}
		return token("mi", o.s, ord), nil
	}
	if o, ok := operators[name]; ok {
		return token("mo", o.s, o.class), nil
	}
	if d, ok := delimiters[name]; ok {
		return token("mo", d.s, d.class, "stretchy", "false"), nil
	}
	if w, ok := spaces[name]; ok {
		return token("mspace", "", ord, "width", w), nil
	}
	if s, ok := escapes[name]; ok {
		return token("mo", s, ord, "lspace", "0", "rspace", "0"), nil
	}
	if o, ok := largeOps[name]; ok {
		n := token("mo", o.s, op)
		n.limits = o.limits
		return n, nil
	}
	if lim, ok := functions[name]; ok {
		n := token("mi", name, fn)
		n.limits = lim
		return n, nil
	}
	if a, ok := accents[name]; ok {
		base, err := p.parseArg("\\" + name)
		if err != nil {
			return nil, err
		}
		mark := token("mo", a.s, ord, "stretchy", "false")
		if a.stretch {
			mark.attrs[1] = "true"
		}
		n := elem("mover", base, mark)
		n.attrs = []string{"accent", "true"}
		return n, nil
	}
	if b, ok := bigSizes[name]; ok {
		d, c, err := p.readDelimiter(name)
		if err != nil {
			return nil, err
		}
		if b.class != ord {
			c = b.class
		}
		return token("mo", d, c, "fence", "true", "stretchy", "true", "symmetric", "true",
			"minsize", b.size, "maxsize", b.size), nil
	}
	switch name {
	case "frac", "tfrac", "dfrac":
		num, err := p.parseArg("\\" + name)
		if err != nil {
			return nil, err
		}
		den, err := p.parseArg("\\" + name)
		if err != nil {
			return nil, err
		}
		n := elem("mfrac", num, den)
		switch name {
		case "tfrac":
			n.attrs = []string{"displaystyle", "false"}
		case "dfrac":
			n.attrs = []string{"displaystyle", "true"}
		}
		return n, nil
	case "sqrt":
		p.skipSpace()
		var index *node
		if !p.eof() && p.src[p.pos] == '[' {
			p.pos++
			row, err := p.parseRow(']')
			if err != nil {
				return nil, err
			}
			if p.eof() || p.src[p.pos] != ']' {
				return nil, p.errorf(`\sqrt[ without a matching ]`)
			}
			p.pos++
			index = group(row)
		}
		rad, err := p.parseArg(`\sqrt`)
		if err != nil {
			return nil, err
		}
		if index != nil {
			return elem("mroot", rad, index), nil
		}
		return elem("msqrt", rad), nil
	case "left":
		return p.parseFenced()
	case "right", "middle":
		return nil, p.errorf("\\%s without a matching \\left", name)
	case "mid":
		return token("mo", "|", rel, "stretchy", "false", "lspace", "0.2778em", "rspace", "0.2778em"), nil
	case "mathbb", "mathbf", "mathcal", "mathrm", "mathit":
		saved := p.font
		p.font = map[string]string{"mathbb": "bb", "mathbf": "bf", "mathcal": "cal", "mathrm": "rm", "mathit": ""}[name]
		n, err := p.parseArg("\\" + name)
		p.font = saved
		return n, err
	case "text", "textrm", "mbox":
		s, err := p.readText(name)
		if err != nil {
			return nil, err
		}
		return token("mtext", keepEdgeSpaces(s), ord), nil
	case "operatorname":
		return p.parseOperatorName()
	case "tag":
		s, err := p.readText(name)
		if err != nil {
			return nil, err
		}
		if p.tag != "" {
			return nil, p.errorf(`a second \tag`)
		}
		if p.depth > 1 {
			return nil, p.errorf(`\tag inside a group`)
		}
		p.tag = strings.TrimSpace(s)
		return nil, nil
	case "limits", "nolimits":
		return nil, p.errorf("\\%s must follow a large operator", name)
	case "\\":
		return nil, p.errorf(`line breaks (\\) are not supported`)
	}
	p.pos = start
	return nil, p.errorf("unknown command \\%s", name)
}

// parseOperatorName parses \operatorname{name} or \operatorname*{name}
// (the command is consumed; a star may follow it).
func (p *parser) parseOperatorName() (*node, error) {
	limits := false
	if !p.eof() && p.src[p.pos] == '*' {
		p.pos++
		limits = true
	}
	s, err := p.readText("operatorname")
	if err != nil {
		return nil, err
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, p.errorf(`\operatorname: empty name`)
	}
	for _, r := range s {
		if !isLetter(r) && !isDigit(r) && r != '-' {
			return nil, p.errorf(`\operatorname{%s}: only letters, digits and - are supported`, s)
		}
	}
	n := token("mi", s, fn)
	if len([]rune(s)) == 1 {
		n.attrs = []string{"mathvariant", "normal"}
	}
	n.limits = limits
	return n, nil
}

// readText reads the braced argument of \text, \operatorname or \tag as
// plain text (\{, \}, \\, \%, \&, \#, \_ and \$ stand for the character).
func (p *parser) readText(name string) (string, error) {
	p.skipSpace()
	if p.eof() || p.src[p.pos] != '{' {
		return "", p.errorf("\\%s: missing {", name)
	}
	start := p.pos
	p.pos++
	var b strings.Builder
	depth := 1
	for !p.eof() {
		r := p.src[p.pos]
		p.pos++
		switch r {
		case '\\':
			if !p.eof() && strings.ContainsRune(`{}\%&#_$`, p.src[p.pos]) {
				b.WriteRune(p.src[p.pos])
				p.pos++
				continue
			}
			p.pos--
			return "", p.errorf("\\%s: commands inside the text are not supported", name)
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return b.String(), nil
			}
		}
		if depth > 0 && (r != '{' && r != '}') {
			b.WriteRune(r)
		}
	}
	p.pos = start
	return "", p.errorf("\\%s: { without a matching }", name)
}

// keepEdgeSpaces turns spaces at the ends of a text into no-break spaces,
// which token elements do not trim.
func keepEdgeSpaces(s string) string {
	trimmed := strings.TrimLeft(s, " ")
	lead := len(s) - len(trimmed)
	inner := strings.TrimRight(trimmed, " ")
	trail := len(trimmed) - len(inner)
	return strings.Repeat("\u00a0", lead) + inner + strings.Repeat("\u00a0", trail)
}

// readDelimiter reads the delimiter after \left, \right, \middle or \big…;
// "." (no delimiter) gives "".
func (p *parser) readDelimiter(after string) (string, class, error) {
	p.skipSpace()
	if p.eof() {
		return "", ord, p.errorf("\\%s: missing delimiter", after)
	}
	r := p.src[p.pos]
	if r == '\\' {
		name := p.peekCommand()
		if d, ok := delimiters[name]; ok {
			p.pos += 1 + len([]rune(name))
			return d.s, d.class, nil
		}
		return "", ord, p.errorf("\\%s: \\%s is not a delimiter", after, name)
	}
	p.pos++
	switch r {
	case '(', '[':
		return string(r), open, nil
	case ')', ']':
		return string(r), close, nil
	case '|', '/':
		return string(r), ord, nil
	case '.':
		return "", ord, nil
	}
	p.pos--
	return "", ord, p.errorf("\\%s: %q is not a delimiter", after, r)
}

// parseFenced parses the rest of \left<d> … [\middle<d> …] \right<d>.
func (p *parser) parseFenced() (*node, error) {
	start := p.pos
	d, _, err := p.readDelimiter("left")
	if err != nil {
		return nil, err
	}
	fence := func(s, form string) *node {
		return token("mo", s, ord, "fence", "true", "form", form, "stretchy", "true", "symmetric", "true")
	}
	var kids []*node
	if d != "" {
		kids = append(kids, fence(d, "prefix"))
	}
	for {
		row, err := p.parseRow(0)
		if err != nil {
			return nil, err
		}
		kids = append(kids, row...)
		c := p.peekCommand()
		if p.eof() || (c != "right" && c != "middle") {
			p.pos = start
			return nil, p.errorf(`\left without a matching \right`)
		}
		p.pos += 1 + len(c)
		d, _, err := p.readDelimiter(c)
		if err != nil {
			return nil, err
		}
		if c == "middle" {
			if d != "" {
				m := fence(d, "infix")
				m.attrs = append(m.attrs, "lspace", "0.1667em", "rspace", "0.1667em")
				kids = append(kids, m)
			}
			continue
		}
		if d != "" {
			kids = append(kids, fence(d, "postfix"))
		}
		n := &node{tag: "mrow", kids: kids, class: inner}
		return n, nil
	}
}

// spaceRow applies the spacing of TeX that MathML's operator dictionary
// does not: a thin space around named functions (log x, 𝔼 log σ), the
// invisible function application after them, and + or − read as a sign
// where TeX would (at the start, after an operator, relation or opening
// delimiter), with no space around it.
func spaceRow(row []*node) []*node {
	out := make([]*node, 0, len(row))
	thin := func() *node { return token("mspace", "", ord, "width", "0.1667em") }
	prev := open // the start of a row behaves like an opening delimiter
	for i, n := range row {
		if n.class == bin && (prev == open || prev == bin || prev == rel || prev == punct || prev == op || prev == fn) {
			if n.tag == "mo" {
				n.attrs = append(n.attrs, "form", "prefix", "lspace", "0", "rspace", "0")
			}
			n.class = ord
		}
		if n.class == fn && (prev == ord || prev == close || prev == inner) {
			out = append(out, thin())
		}
		out = append(out, n)
		if n.class == fn && i+1 < len(row) {
			out = append(out, token("mo", "\u2061", ord))
			if next := row[i+1].class; next == ord || next == fn {
				out = append(out, thin())
			}
		}
		if n.tag != "mspace" {
			prev = n.class
		}
	}
	return out
}
