package docs

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"nceplay/docs/mathml"
)

// required lists the anchors of math.md that code comments, captions and
// help texts cite.
var required = []string{
	"partition-function", "nce", "why-c-is-log-z", "kl-view", "classifier-form",
	"negative-sampling", "ranking", "mle", "efficiency", "noise", "metrics",
	"diagnostics", "not-normalizable", "mass-off", "separable", "not-converged",
	"no-free-constant", "light-tails", "self-normalization", "word2vec",
	"softmax-cost", "references",
	"ref-gutmann2010", "ref-gutmann2012", "ref-mnih2012", "ref-mikolov2013",
	"ref-levy2014", "ref-oord2018", "ref-ma2018", "ref-chen2020", "ref-liu2021",
}

func init() {
	for i := 1; i <= 13; i++ {
		required = append(required, fmt.Sprintf("e%d", i))
	}
}

func TestRequiredAnchors(t *testing.T) {
	ids, err := Anchors("math")
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]int{}
	for _, id := range ids {
		have[id]++
	}
	for _, id := range required {
		if have[id] == 0 {
			t.Errorf("math.md has no anchor %q", id)
		}
	}
	for id, n := range have {
		if n > 1 {
			t.Errorf("math.md has anchor %q %d times", id, n)
		}
	}
}

// TestEquationLabels checks that each equation anchor eN sits on the line
// before a display formula that is labelled (EN), and that no other
// formula carries that label.
func TestEquationLabels(t *testing.T) {
	_, src, err := source("math")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(src, "\n")
	for i := 1; i <= 13; i++ {
		anchor := fmt.Sprintf(`<a id="e%d"></a>`, i)
		tag := fmt.Sprintf(`\tag{E%d}`, i)
		if n := strings.Count(src, tag); n != 1 {
			t.Errorf("%s appears %d times, want once", tag, n)
		}
		found := false
		for j, l := range lines {
			if strings.TrimSpace(l) != anchor {
				continue
			}
			found = true
			if j+1 >= len(lines) || !strings.HasPrefix(strings.TrimSpace(lines[j+1]), "$$") {
				t.Errorf("line %d: %s is not followed by a display formula", j+1, anchor)
				continue
			}
			rest := strings.Join(lines[j+1:], "\n")
			end := strings.Index(rest[2:], "$$")
			if end < 0 || !strings.Contains(rest[:end+2], tag) {
				t.Errorf("line %d: the formula after %s is not labelled %s", j+1, anchor, tag)
			}
		}
		if !found {
			t.Errorf("no line holds just %s", anchor)
		}
	}
}

// TestFormulasConvert converts every formula of every document.
func TestFormulasConvert(t *testing.T) {
	names := Names()
	if len(names) == 0 {
		t.Fatal("no documents embedded")
	}
	for _, name := range names {
		_, src, err := source(name)
		if err != nil {
			t.Fatal(err)
		}
		_, formulas := extractMath(src)
		if name == "math" && len(formulas) < 100 {
			t.Errorf("math.md: only %d formulas found", len(formulas))
		}
		for _, f := range formulas {
			if _, err := mathml.Convert(f.tex, f.display); err != nil {
				t.Errorf("%s.md line %d: %v\n%s", name, f.line, err, f.tex)
			}
		}
	}
}

// TestLinks checks that every in-page link of every document targets an
// anchor of that document.
func TestLinks(t *testing.T) {
	link := regexp.MustCompile(`\]\(#([^)]+)\)`)
	sibling := regexp.MustCompile(`\]\(([a-z0-9_-]+)\.md(?:#([^)]+))?\)`)
	for _, name := range Names() {
		_, src, _ := source(name)
		for _, m := range sibling.FindAllStringSubmatch(src, -1) {
			ids, err := Anchors(m[1])
			if err != nil {
				t.Errorf("%s.md links to %s.md, which is not a document here", name, m[1])
				continue
			}
			if m[2] != "" && !slices.Contains(ids, m[2]) {
				t.Errorf("%s.md links to %s.md#%s, which does not exist", name, m[1], m[2])
			}
		}
		page, err := Render(name)
		if err != nil {
			t.Fatal(err)
		}
		if regexp.MustCompile(`href="[^"]*\.md[#"]`).Match(page) {
			t.Errorf("%s's page links to a .md file; links to documents must point at their pages", name)
		}
	}
	for _, name := range Names() {
		ids, err := Anchors(name)
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]bool{}
		for _, id := range ids {
			have[id] = true
		}
		_, src, _ := source(name)
		for _, m := range link.FindAllStringSubmatch(src, -1) {
			if !have[m[1]] {
				t.Errorf("%s.md links to #%s, which does not exist", name, m[1])
			}
		}
	}
}

// TestCitations: every citation of the project's docs anywhere in the
// repository — code comments, UI texts, help, READMEs — resolves: each
// docs/<name>.md is a document of this package and each #anchor one of its
// ids. Documents the repository does not hold are never cited, and an
// equation is named (E5) only beside its link (docs/math.md#e5), so that a
// reader can always follow it.
func TestCitations(t *testing.T) {
	have := map[string]map[string]bool{}
	for _, name := range Names() {
		ids, err := Anchors(name)
		if err != nil {
			t.Fatal(err)
		}
		have[name] = map[string]bool{}
		for _, id := range ids {
			have[name][id] = true
		}
	}
	cite := regexp.MustCompile(`docs/([A-Za-z0-9_-]+)\.md(#[A-Za-z0-9_-]+)?`)
	foreign := regexp.MustCompile(`\b(NCE|SPEC|STYLE|DEVELOPERS)\.md\b|FIELD-NOTES|\.\./shared`)
	equation := regexp.MustCompile(`(^|[^%A-Za-z0-9_])E([0-9]{1,2})\b`)
	section := regexp.MustCompile(`§[0-9]`)
	text := map[string]bool{".go": true, ".md": true, ".vugu": true, ".html": true, ".js": true, ".ts": true, ".css": true, ".json": true, ".txt": true, ".mk": true, ".sh": true, ".py": true}
	code := map[string]bool{".go": true, ".vugu": true, ".html": true, ".js": true}
	// Generated outputs (see the repository's .gitignore files) are skipped.
	skip := map[string]bool{".git": true, "node_modules": true, ".wrangler": true,
		filepath.Join("..", "build"): true, filepath.Join("..", "web", "site"): true}
	checked := 0
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if skip[d.Name()] || skip[p] {
				return filepath.SkipDir
			}
			return nil
		}
		ext := filepath.Ext(p)
		if !text[ext] && d.Name() != "Makefile" || strings.HasSuffix(p, "docs_test.go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		inDocs := filepath.Dir(p) == "."
		for i, line := range strings.Split(string(b), "\n") {
			where := fmt.Sprintf("%s:%d", p, i+1)
			for _, m := range cite.FindAllStringSubmatch(line, -1) {
				checked++
				ids, ok := have[m[1]]
				anchor := strings.TrimPrefix(m[2], "#")
				switch {
				case !ok:
					t.Errorf("%s cites docs/%s.md, which the repository does not hold", where, m[1])
				case anchor != "" && anchor != "anchor" && !ids[anchor]: // "anchor": the generic example in comments
					t.Errorf("%s cites docs/%s.md#%s, which does not exist", where, m[1], anchor)
				}
			}
			if m := foreign.FindString(line); m != "" && !inDocs && !strings.HasSuffix(p, "docs_test.go") {
				t.Errorf("%s cites %s, which the repository does not hold", where, m)
			}
			if !code[ext] || strings.HasSuffix(p, "_test.go") {
				continue // tests quote formulas and spans, they do not cite
			}
			for _, m := range equation.FindAllStringSubmatch(line, -1) {
				if !strings.Contains(line, "docs/math.md#e"+m[2]) {
					t.Errorf("%s names E%s without its link docs/math.md#e%s", where, m[2], m[2])
				}
			}
			if section.MatchString(line) {
				t.Errorf("%s cites a section by number; cite docs/<file>.md#<anchor>", where)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d citations checked", checked)
}

func TestRender(t *testing.T) {
	for _, name := range Names() {
		page, err := Render(name)
		if err != nil {
			t.Fatalf("Render(%q): %v", name, err)
		}
		s := string(page)
		for _, want := range []string{"<!DOCTYPE html>", "<title>", "<style>", "prefers-color-scheme", "<main>", "</html>"} {
			if !strings.Contains(s, want) {
				t.Errorf("Render(%q): no %q", name, want)
			}
		}
		// No script, and nothing loaded from elsewhere.
		for _, bad := range []string{"<script", "<link", "<img", "<iframe", "@import", "url(", placeholderPrefix} {
			if strings.Contains(s, bad) {
				t.Errorf("Render(%q) contains %q", name, bad)
			}
		}
		if strings.Contains(s, "$") {
			i := strings.Index(s, "$")
			t.Errorf("Render(%q): a $ was left unconverted: %q", name, s[max(0, i-60):min(len(s), i+60)])
		}
	}
	page, err := Render("math")
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	for _, want := range []string{
		"<title>The mathematics of NCE Playground</title>",
		`<math display="block">`, "<math>", `<a id="e5"></a>`, `<a id="separable"></a>`,
		"<mtext>(E5)</mtext>", "<table>",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("Render(math): no %q", want)
		}
	}
	if strings.Contains(s, `<p><a id="nce"></a></p>`) {
		t.Error("Render(math): an anchor before a heading is wrapped in an empty paragraph")
	}
	same, err := Render("math.md")
	if err != nil || !bytes.Equal(same, page) {
		t.Errorf(`Render("math.md") differs from Render("math") (err %v)`, err)
	}
}

// TestRenderedFractions parses every <math> element of every rendered page
// as XML and checks that each <mfrac> has exactly two child elements.
func TestRenderedFractions(t *testing.T) {
	mathEl := regexp.MustCompile(`(?s)<math[ >].*?</math>`)
	for _, name := range Names() {
		page, err := Render(name)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, m := range mathEl.FindAll(page, -1) {
			d := xml.NewDecoder(bytes.NewReader(m))
			type open struct {
				name string
				kids int
			}
			var stack []open
			for {
				tok, err := d.Token()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("%s: not well-formed: %v\n%s", name, err, m)
				}
				switch tok := tok.(type) {
				case xml.StartElement:
					if len(stack) > 0 {
						stack[len(stack)-1].kids++
					}
					stack = append(stack, open{name: tok.Name.Local})
				case xml.EndElement:
					top := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					if top.name == "mfrac" {
						n++
						if top.kids != 2 {
							t.Errorf("%s: <mfrac> with %d children:\n%s", name, top.kids, m)
						}
					}
				}
			}
		}
		if name == "math" && n < 50 {
			t.Errorf("math: only %d fractions rendered", n)
		}
	}
}

func TestUnknownDocument(t *testing.T) {
	for _, name := range []string{"", "nope", "../go", "math/../math", ".md", "/math", `..\math`} {
		if _, err := Render(name); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Render(%q): error %v, want fs.ErrNotExist", name, err)
		}
		if _, err := Anchors(name); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Anchors(%q): error %v, want fs.ErrNotExist", name, err)
		}
	}
}

// TestSelfContained checks that the documents cite nothing outside the
// repository.
func TestSelfContained(t *testing.T) {
	for _, name := range Names() {
		_, src, _ := source(name)
		for _, bad := range []string{"NCE.md", "SPEC.md", "shared/", "FIELD-NOTES", "TODO", "TBD", "XXX"} {
			if strings.Contains(src, bad) {
				t.Errorf("%s.md mentions %q", name, bad)
			}
		}
	}
}

func TestExtractMath(t *testing.T) {
	tests := []struct {
		src, text string
		formulas  []formula
	}{
		{"a $x$ b", "a MATHFORMULA0x b", []formula{{"x", false, 1}}},
		{"$a$ and $b$", "MATHFORMULA0x and MATHFORMULA1x", []formula{{"a", false, 1}, {"b", false, 1}}},
		{"costs $5 and $6", "costs $5 and $6", nil},
		{"a $ x$ b", "a $ x$ b", nil},
		{"a $x $ b", "a $x $ b", nil},
		{`price \$x$`, `price \$x$`, nil},
		{"`$x$` $y$", "`$x$` MATHFORMULA0x", []formula{{"y", false, 1}}},
		{"``a ` $b$`` $c$", "``a ` $b$`` MATHFORMULA0x", []formula{{"c", false, 1}}},
		{"one\n\n$$\nx^2\n$$\nafter $y$", "one\n\nMATHFORMULA0x\nafter MATHFORMULA1x", []formula{{"x^2", true, 3}, {"y", false, 6}}},
		{"```\n$x$\n```\n$y$", "```\n$x$\n```\nMATHFORMULA0x", []formula{{"y", false, 4}}},
		{"a $x\ny$ b", "a MATHFORMULA0x b", []formula{{"x\ny", false, 1}}},
		{"a $x\n\ny$ b", "a $x\n\ny$ b", nil},
		{"inline $$x$$ display", "inline MATHFORMULA0x display", []formula{{"x", true, 1}}},
	}
	for _, tc := range tests {
		text, formulas := extractMath(tc.src)
		if text != tc.text || fmt.Sprint(formulas) != fmt.Sprint(tc.formulas) {
			t.Errorf("extractMath(%q) = %q, %v; want %q, %v", tc.src, text, formulas, tc.text, tc.formulas)
		}
	}
}

func TestNames(t *testing.T) {
	names := Names()
	found := false
	for _, n := range names {
		if strings.HasSuffix(n, ".md") {
			t.Errorf("Names() returns %q with its extension", n)
		}
		found = found || n == "math"
	}
	if !found {
		t.Errorf("Names() = %v, want it to include math", names)
	}
}

// TestPackageTable checks that architecture.md's package table has a row
// for every directory of the module that holds Go files, so that a
// newcomer finds every package there.
func TestPackageTable(t *testing.T) {
	b, err := os.ReadFile("architecture.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]bool{}
	cell := regexp.MustCompile("`([a-z0-9/]+)`")
	for _, line := range strings.Split(string(b), "\n") {
		first, _, ok := strings.Cut(strings.TrimPrefix(line, "| "), " |")
		if !ok || !strings.HasPrefix(line, "| `") {
			continue
		}
		for _, m := range cell.FindAllStringSubmatch(first, -1) {
			rows[m[1]] = true
		}
	}
	skip := map[string]bool{".git": true, "node_modules": true, ".wrangler": true, "build": true, "testdata": true}
	var missing []string
	err = filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if skip[d.Name()] {
			return filepath.SkipDir
		}
		files, _ := filepath.Glob(filepath.Join(p, "*.go"))
		if len(files) == 0 || p == ".." {
			return nil
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, ".."+string(filepath.Separator)))
		if !rows[rel] {
			missing = append(missing, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 20 {
		t.Fatalf("found %d rows in architecture.md's package table", len(rows))
	}
	if len(missing) > 0 {
		t.Errorf("architecture.md#packages has no row for %s", strings.Join(missing, ", "))
	}
}

// Anchors returns the ids (the tests' reading of a rendered document) in the document name, in order of appearance:
// the targets that links such as /docs/math#e5 can use.
func Anchors(name string) ([]string, error) {
	base, src, err := source(name)
	if err != nil {
		return nil, err
	}
	body, err := cachedBody(base, src)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, m := range idAttr.FindAllSubmatch(body, -1) {
		ids = append(ids, html.UnescapeString(string(m[1])))
	}
	return ids, nil
}

// idAttr matches an id attribute inside a start tag of the rendered body.
var idAttr = regexp.MustCompile(`<[A-Za-z][^<>]*?\sid="([^"]*)"`)
