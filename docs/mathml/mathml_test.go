package mathml

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

func TestConvert(t *testing.T) {
	const tilde = `<mover accent="true"><mi>p</mi><mo stretchy="false">˜</mo></mover>`
	tests := []struct {
		name, tex string
		display   bool
		want      string // the content of <math>
	}{
		{"identifier", `x`, false, `<mi>x</mi>`},
		{"number", `0.3137`, false, `<mn>0.3137</mn>`},
		{"sum of terms", `a+2b`, false, `<mi>a</mi><mo>+</mo><mn>2</mn><mi>b</mi>`},
		{"minus is a sign at the start", `-x`, false, `<mo form="prefix" lspace="0" rspace="0">−</mo><mi>x</mi>`},
		{"minus is binary between terms", `a-b`, false, `<mi>a</mi><mo>−</mo><mi>b</mi>`},
		{"superscript", `x^2`, false, `<msup><mi>x</mi><mn>2</mn></msup>`},
		{"one character per script, as in TeX", `x^12`, false, `<msup><mi>x</mi><mn>1</mn></msup><mn>2</mn>`},
		{"braced scripts", `x_{i}^{2k}`, false, `<msubsup><mi>x</mi><mi>i</mi><mrow><mn>2</mn><mi>k</mi></mrow></msubsup>`},
		{"prime", `f'(t)`, false, `<msup><mi>f</mi><mo>′</mo></msup><mo stretchy="false">(</mo><mi>t</mi><mo stretchy="false">)</mo>`},
		{"prime and superscript", `f'^2`, false, `<msup><mi>f</mi><mrow><mo>′</mo><mn>2</mn></mrow></msup>`},
		{"fraction of tokens", `\frac ab`, false, `<mfrac><mi>a</mi><mi>b</mi></mfrac>`},
		{"fraction of rows", `\frac{a+b}{2}`, false, `<mfrac><mrow><mi>a</mi><mo>+</mo><mi>b</mi></mrow><mn>2</mn></mfrac>`},
		{"text-style fraction", `\tfrac12`, false, `<mfrac displaystyle="false"><mn>1</mn><mn>2</mn></mfrac>`},
		{"square root", `\sqrt{x}`, false, `<msqrt><mi>x</mi></msqrt>`},
		{"root with index", `\sqrt[3]{x}`, false, `<mroot><mi>x</mi><mn>3</mn></mroot>`},
		{"tilde accent", `\tilde p`, false, tilde},
		{"hat accent", `\hat J`, false, `<mover accent="true"><mi>J</mi><mo stretchy="false">ˆ</mo></mover>`},
		{"wide accent stretches", `\overline{xy}`, false, `<mover accent="true"><mrow><mi>x</mi><mi>y</mi></mrow><mo stretchy="true">‾</mo></mover>`},
		{"double-struck E", `\mathbb E`, false, `<mi>𝔼</mi>`},
		{"double-struck R keeps its letterlike form", `\mathbb R`, false, `<mi>ℝ</mi>`},
		{"calligraphic B", `\mathcal B`, false, `<mi>ℬ</mi>`},
		{"bold x", `\mathbf x`, false, `<mi>𝐱</mi>`},
		{"roman word", `\mathrm{KL}`, false, `<mi>KL</mi>`},
		{"roman letter", `\mathrm d`, false, `<mi mathvariant="normal">d</mi>`},
		{"text keeps its edge spaces", `\text{ if }`, false, "<mtext>\u00a0if\u00a0</mtext>"},
		{"text escapes", `\text{heldout\_loss}`, false, `<mtext>heldout_loss</mtext>`},
		{"lower-case Greek is italic", `\theta`, false, `<mi>θ</mi>`},
		{"upper-case Greek is upright", `\Sigma`, false, `<mi mathvariant="normal">Σ</mi>`},
		{"relations", `a \le b \ne c \approx d`, false, `<mi>a</mi><mo>≤</mo><mi>b</mi><mo>≠</mo><mi>c</mi><mo>≈</mo><mi>d</mi>`},
		{"sampling", `x \sim \tilde p`, false, `<mi>x</mi><mo>∼</mo>` + tilde},
		{"transpose", `m^\top`, false, `<msup><mi>m</mi><mi mathvariant="normal">⊤</mi></msup>`},
		{"nabla is upright", `\nabla G`, false, `<mi mathvariant="normal">∇</mi><mi>G</mi>`},
		{"conditional bar", `P(1 \mid x)`, false, `<mi>P</mi><mo stretchy="false">(</mo><mn>1</mn><mo stretchy="false" lspace="0.2778em" rspace="0.2778em">|</mo><mi>x</mi><mo stretchy="false">)</mo>`},
		{"angle brackets", `\langle u, v\rangle`, false, `<mo stretchy="false">⟨</mo><mi>u</mi><mo>,</mo><mi>v</mi><mo stretchy="false">⟩</mo>`},
		{"norm bars", `\|x\|`, false, `<mo stretchy="false">‖</mo><mi>x</mi><mo stretchy="false">‖</mo>`},
		{"spaces", `a\,b\quad c`, false, `<mi>a</mi><mspace width="0.1667em"></mspace><mi>b</mi><mspace width="1em"></mspace><mi>c</mi>`},
		{"function then identifier gets a thin space", `\log x`, false, `<mi>log</mi><mo>` + "\u2061" + `</mo><mspace width="0.1667em"></mspace><mi>x</mi>`},
		{"function then parenthesis gets none", `\exp(x)`, false, `<mi>exp</mi><mo>` + "\u2061" + `</mo><mo stretchy="false">(</mo><mi>x</mi><mo stretchy="false">)</mo>`},
		{"identifier then function gets a thin space", `k\log k`, false, `<mi>k</mi><mspace width="0.1667em"></mspace><mi>log</mi><mo>` + "\u2061" + `</mo><mspace width="0.1667em"></mspace><mi>k</mi>`},
		{"operator name", `\operatorname{softplus}(t)`, false, `<mi>softplus</mi><mo>` + "\u2061" + `</mo><mo stretchy="false">(</mo><mi>t</mi><mo stretchy="false">)</mo>`},
		{"sum inline: scripts", `\sum_{i=0}^k x_i`, false, `<msubsup><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>0</mn></mrow><mi>k</mi></msubsup><msub><mi>x</mi><mi>i</mi></msub>`},
		{"sum displayed: limits", `\sum_{i=0}^k x_i`, true, `<munderover><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>0</mn></mrow><mi>k</mi></munderover><msub><mi>x</mi><mi>i</mi></msub>`},
		{"product displayed", `\prod_j U`, true, `<munder><mo>∏</mo><mi>j</mi></munder><mi>U</mi>`},
		{"integral displayed keeps its scripts at the side", `\int_a^b f`, true, `<msubsup><mo>∫</mo><mi>a</mi><mi>b</mi></msubsup><mi>f</mi>`},
		{"integral with \\limits", `\int\limits_a^b f`, true, `<munderover><mo>∫</mo><mi>a</mi><mi>b</mi></munderover><mi>f</mi>`},
		{"sum with \\nolimits", `\sum\nolimits_i x`, true, `<msub><mo>∑</mo><mi>i</mi></msub><mi>x</mi>`},
		{"max displayed", `\max_\theta J`, true, `<munder><mi>max</mi><mi>θ</mi></munder><mo>` + "\u2061" + `</mo><mspace width="0.1667em"></mspace><mi>J</mi>`},
		{"left and right", `\left( \frac ab \right)`, false, `<mrow><mo fence="true" form="prefix" stretchy="true" symmetric="true">(</mo><mfrac><mi>a</mi><mi>b</mi></mfrac><mo fence="true" form="postfix" stretchy="true" symmetric="true">)</mo></mrow>`},
		{"invisible left delimiter", `\left. x \right|`, false, `<mrow><mi>x</mi><mo fence="true" form="postfix" stretchy="true" symmetric="true">|</mo></mrow>`},
		{"middle", `\left\langle a \middle| b \right\rangle`, false, `<mrow><mo fence="true" form="prefix" stretchy="true" symmetric="true">⟨</mo><mi>a</mi><mo fence="true" form="infix" stretchy="true" symmetric="true" lspace="0.1667em" rspace="0.1667em">|</mo><mi>b</mi><mo fence="true" form="postfix" stretchy="true" symmetric="true">⟩</mo></mrow>`},
		{"big delimiters", `\big( x \big)`, false, `<mo fence="true" stretchy="true" symmetric="true" minsize="1.2em" maxsize="1.2em">(</mo><mi>x</mi><mo fence="true" stretchy="true" symmetric="true" minsize="1.2em" maxsize="1.2em">)</mo>`},
		{"escaped characters", `50\%`, false, `<mn>50</mn><mo lspace="0" rspace="0">%</mo>`},
		{"markup characters are escaped", `a<b>c`, false, `<mi>a</mi><mo>&lt;</mo><mi>b</mi><mo>&gt;</mo><mi>c</mi>`},
		{"tag", `E = mc^2 \tag{E0}`, true, `<mi>E</mi><mo>=</mo><mi>m</mi><msup><mi>c</mi><mn>2</mn></msup><mspace width="2em"></mspace><mtext>(E0)</mtext>`},
		{"empty base", `{}^2`, false, `<msup><mrow></mrow><mn>2</mn></msup>`},
		{"empty input", ``, false, ``},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Convert(tc.tex, tc.display)
			if err != nil {
				t.Fatalf("Convert(%q): %v", tc.tex, err)
			}
			open := "<math>"
			if tc.display {
				open = `<math display="block">`
			}
			if want := open + tc.want + "</math>"; got != want {
				t.Errorf("Convert(%q)\n got %s\nwant %s", tc.tex, got, want)
			}
		})
	}
}

// corpus is a set of formulas with deep nesting, used for the structural
// checks below.
var corpus = []string{
	`P(1 \mid x) = \frac{\tilde p(x)}{\tilde p(x) + kU(x)} = \sigma\big(\log\tilde p(x) - \log k - \log U(x)\big) \tag{E1}`,
	`\hat J = \frac1B\left[\sum_{i=1}^{B}\operatorname{softplus}(-z(x_i)) + \sum_{j=1}^{kB}\operatorname{softplus}(z(y_j))\right]`,
	`\frac{\frac{a}{b} + \frac{c}{\frac{d}{e}}}{\sqrt{\frac{1}{1+e^{-t}}}}`,
	`\Sigma = I^{-1} - \Big(1 + \frac1k\Big)\, I^{-1} m\, m^\top I^{-1}`,
	`J_{\mathrm{rank}} = -\mathbb E\log\frac{e^{s(x_0)}}{\sum_{i=0}^{k} e^{s(x_i)}}`,
	`r_{ij} = \frac{\pi_j\,N(x_i;\mu_j,\Sigma_j)}{\sum_{l=1}^{M}\pi_l\,N(x_i;\mu_l,\Sigma_l)}`,
	`\operatorname{KL}\big(\pi(x) \,\Vert\, \pi_\theta(x)\big) = a\log\frac{a}{b} + (1-a)\log\frac{1-a}{1-b}`,
	`\frac{x^{\frac{1}{2}}}{y_{\frac{3}{4}}}\tfrac{\text{a b}}{\mathrm{KL}}\dfrac{\left(x\right)}{\big|y\big|}`,
}

// TestWellFormed parses every output as XML and checks that each <mfrac>,
// <msub>, <msup>, <munder>, <mover> and <mroot> has exactly two child
// elements and each <msubsup> and <munderover> three: MathML gives an
// element with a wrong number of children no meaning.
func TestWellFormed(t *testing.T) {
	want := map[string]int{"mfrac": 2, "msub": 2, "msup": 2, "munder": 2, "mover": 2, "mroot": 2, "msubsup": 3, "munderover": 3}
	for _, tex := range corpus {
		for _, display := range []bool{false, true} {
			out, err := Convert(tex, display)
			if err != nil {
				t.Fatalf("Convert(%q): %v", tex, err)
			}
			fracs := 0
			for name, n := range childCounts(t, out) {
				if w, ok := want[name.tag]; ok && n != w {
					t.Errorf("Convert(%q): <%s> #%d has %d children, want %d\n%s", tex, name.tag, name.index, n, w, out)
				}
				if name.tag == "mfrac" {
					fracs++
				}
			}
			if strings.Count(tex, `frac`) != fracs {
				t.Errorf("Convert(%q): %d <mfrac>, want %d", tex, fracs, strings.Count(tex, `frac`))
			}
		}
	}
}

// element names one element of a document: its tag and its position among
// the elements with that tag.
type element struct {
	tag   string
	index int
}

// childCounts parses the MathML markup s and returns the number of child
// elements of every element.
func childCounts(t *testing.T, s string) map[element]int {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	counts := map[element]int{}
	seen := map[string]int{}
	var stack []element
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, s)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if len(stack) > 0 {
				counts[stack[len(stack)-1]]++
			}
			e := element{tok.Name.Local, seen[tok.Name.Local]}
			seen[tok.Name.Local]++
			counts[e] += 0
			stack = append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	return counts
}

func TestErrors(t *testing.T) {
	tests := []struct{ tex, want string }{
		{`\foo x`, `unknown command \foo`},
		{`\frac{a}{b} + \mathfrak{g}`, `unknown command \mathfrak`},
		{`\frac{a}`, `\frac: missing argument`},
		{`\sqrt`, `\sqrt: missing argument`},
		{`{a`, `{ without a matching }`},
		{`a}`, `unmatched }`},
		{`\left( a`, `\left without a matching \right`},
		{`a \right)`, `\right without a matching \left`},
		{`\left( a }`, `\left without a matching \right`},
		{`\left x`, `'x' is not a delimiter`},
		{`\left\alpha x \right)`, `\alpha is not a delimiter`},
		{`x_1_2`, `double subscript`},
		{`x^1^2`, `double superscript`},
		{`x^`, `^: missing argument`},
		{`a & b`, `alignment (&) is not supported`},
		{`a \\ b`, `line breaks`},
		{`50%`, `TeX comment`},
		{`\text{a \alpha}`, `commands inside the text`},
		{`\text{open`, `\text: { without a matching }`},
		{`\operatorname{a+b}`, `only letters`},
		{`\limits`, `\limits must follow a large operator`},
		{`{\tag{E1}}`, `\tag inside a group`},
		{`\tag{A}\tag{B}`, `a second \tag`},
		{`x\`, `a lone \`},
		{strings.Repeat("{", 300) + strings.Repeat("}", 300), `nesting deeper`},
		{strings.Repeat(`\sqrt`, 300) + "x", `nesting deeper`},
		{strings.Repeat(`\left(`, 300), `nesting deeper`},
	}
	for _, tc := range tests {
		_, err := Convert(tc.tex, true)
		if err == nil {
			t.Errorf("Convert(%q): no error, want one containing %q", tc.tex, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Convert(%q): error %q, want it to contain %q", tc.tex, err, tc.want)
		}
		if !strings.HasPrefix(err.Error(), "mathml: ") {
			t.Errorf("Convert(%q): error %q does not start with the package name", tc.tex, err)
		}
	}
}

// TestEveryCommand converts each command of the tables once, so that a
// typo in a table shows up as a malformed output.
func TestEveryCommand(t *testing.T) {
	var cmds []string
	for name := range greek {
		cmds = append(cmds, `\`+name)
	}
	for name := range ordinary {
		cmds = append(cmds, `\`+name)
	}
	for name := range operators {
		cmds = append(cmds, `a \`+name+` b`)
	}
	for name := range largeOps {
		cmds = append(cmds, `\`+name+`_a^b x`)
	}
	for name := range functions {
		cmds = append(cmds, `\`+name+`_a x`)
	}
	for name := range delimiters {
		cmds = append(cmds, `\`+name+` \left\`+name+` x \right\`+name+` \big\`+name)
	}
	for name := range accents {
		cmds = append(cmds, `\`+name+`{x}`)
	}
	for name := range spaces {
		cmds = append(cmds, `a\`+name+` b`)
	}
	for name := range bigSizes {
		cmds = append(cmds, `\`+name+`( x \`+name+`]`)
	}
	for name := range escapes {
		cmds = append(cmds, `\`+name)
	}
	for _, tex := range cmds {
		for _, display := range []bool{false, true} {
			out, err := Convert(tex, display)
			if err != nil {
				t.Errorf("Convert(%q): %v", tex, err)
				continue
			}
			childCounts(t, out)
		}
	}
}

func ExampleConvert() {
	out, err := Convert(`\frac{a}{k U}`, false)
	if err != nil {
		panic(err)
	}
	fmt.Println(out)
	_, err = Convert(`\frac{a}{b} \unknown`, false)
	fmt.Println(err)
	// Output:
	// <math><mfrac><mi>a</mi><mrow><mi>k</mi><mi>U</mi></mrow></mfrac></math>
	// mathml: unknown command \unknown (at offset 12)
}
