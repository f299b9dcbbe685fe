// Package docs holds the project's documentation as Markdown files,
// embedded in the binary, and renders them as standalone HTML pages.
//
// Formulas are written as in GitHub-flavoured Markdown — $…$ inline and
// $$…$$ for a display formula — and rendered to MathML by the mathml
// package, so a page needs no script and no external resource. Explicit
// anchors (<a id="e5"></a>) are kept, so links such as /docs/math#e5 work.
package docs

import (
	"bytes"
	"embed"
	"fmt"
	"html"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"

	"nceplay/docs/mathml"
)

//go:embed *.md
var files embed.FS

// Names returns the names of the embedded documents, without the .md
// extension, sorted.
func Names() []string {
	entries, _ := fs.ReadDir(files, ".")
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".md"); ok && !e.IsDir() {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// source returns the Markdown of the document name ("math" or "math.md").
// An unknown name is an error wrapping fs.ErrNotExist.
func source(name string) (string, string, error) {
	base := strings.TrimSuffix(name, ".md")
	if base == "" || strings.ContainsAny(base, `/\`) || base != path.Clean(base) || strings.HasPrefix(base, ".") {
		return "", "", fmt.Errorf("docs: %q: %w", name, fs.ErrNotExist)
	}
	b, err := files.ReadFile(base + ".md")
	if err != nil {
		return "", "", fmt.Errorf("docs: %q: %w", name, fs.ErrNotExist)
	}
	return base, string(b), nil
}

// Render returns the document name ("math" or "math.md") as a complete
// HTML page: a title taken from its first-level heading, a small
// stylesheet for light and dark colour schemes, and every formula as
// MathML. A formula that does not convert is an error naming the file and
// the line.
func Render(name string) ([]byte, error) {
	base, src, err := source(name)
	if err != nil {
		return nil, err
	}
	body, err := cachedBody(base, src)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	b.WriteString("<meta name=\"color-scheme\" content=\"light dark\">\n")
	b.WriteString("<title>" + html.EscapeString(title(base, src)) + "</title>\n")
	b.WriteString("<style>" + stylesheet + "</style>\n</head>\n<body>\n<main>\n")
	b.Write(body)
	b.WriteString("</main>\n</body>\n</html>\n")
	return b.Bytes(), nil
}

// loneAnchor matches a paragraph holding nothing but an anchor, as
// Markdown makes of an anchor on the line before a heading.
var loneAnchor = regexp.MustCompile(`<p>(<a id="[^"]*"></a>)</p>`)

var markdown = goldmark.New(
	goldmark.WithExtensions(extension.GFM),
	goldmark.WithRendererOptions(gmhtml.WithUnsafe()),
)

// bodies caches renderBody's results: the documents are embedded, so a
// document's HTML never changes while the program runs.
var bodies struct {
	sync.Mutex
	m map[string][]byte
}

// cachedBody returns renderBody(base, src), rendering it on first use.
// The result is shared: callers must not modify it.
func cachedBody(base, src string) ([]byte, error) {
	bodies.Lock()
	defer bodies.Unlock()
	if b, ok := bodies.m[base]; ok {
		return b, nil
	}
	b, err := renderBody(base, src)
	if err != nil {
		return nil, err
	}
	if bodies.m == nil {
		bodies.m = map[string][]byte{}
	}
	bodies.m[base] = b
	return b, nil
}

// siblingLink matches an href to another document of this folder.
var siblingLink = regexp.MustCompile(`href="([a-z0-9_-]+)\.md(#[A-Za-z0-9_-]*)?"`)

// renderBody converts the Markdown src of the document base to HTML with
// MathML formulas.
func renderBody(base, src string) ([]byte, error) {
	text, formulas := extractMath(src)
	var out bytes.Buffer
	if err := markdown.Convert([]byte(text), &out); err != nil {
		return nil, fmt.Errorf("docs: %s.md: %w", base, err)
	}
	body := loneAnchor.ReplaceAll(out.Bytes(), []byte("$1"))
	// A link to a sibling document (spec.md#keys) points at its page on
	// the site (spec.html#keys).
	body = siblingLink.ReplaceAll(body, []byte(`href="$1.html$2"`))
	var failed error
	body = placeholder.ReplaceAllFunc(body, func(m []byte) []byte {
		i, err := strconv.Atoi(string(m[len(placeholderPrefix) : len(m)-1]))
		if err != nil || i >= len(formulas) {
			return m
		}
		f := formulas[i]
		ml, err := mathml.Convert(f.tex, f.display)
		if err != nil {
			if failed == nil {
				failed = fmt.Errorf("docs: %s.md line %d: %w", base, f.line, err)
			}
			return nil
		}
		return []byte(ml)
	})
	if failed != nil {
		return nil, failed
	}
	return body, nil
}

// title returns the text of the first-level heading, or the name.
func title(base, src string) string {
	for _, line := range strings.Split(src, "\n") {
		if t, ok := strings.CutPrefix(line, "# "); ok {
			return strings.TrimSpace(strings.ReplaceAll(t, "$", ""))
		}
	}
	return base
}

// A formula is one $…$ or $$…$$ span of a document.
type formula struct {
	tex     string
	display bool
	line    int // 1-based line of the opening delimiter
}

// placeholderPrefix starts the token that stands for a formula while the
// Markdown is rendered: letters and digits only, so Markdown leaves it
// alone; the final x ends the number.
const placeholderPrefix = "MATHFORMULA"

var placeholder = regexp.MustCompile(placeholderPrefix + `[0-9]+x`)

// extractMath replaces every formula of the Markdown src by a placeholder
// and returns the formulas in order. It follows GitHub's rules closely
// enough for the project's documents: $$ … $$ is a display formula (on
// its own lines or within a line); $…$ is inline when the opening $ is
// not followed by a space and the closing $ is not preceded by one nor
// followed by a digit, within one paragraph; \$ is a literal dollar; code
// spans and fenced code blocks are left alone.
func extractMath(src string) (string, []formula) {
	var out strings.Builder
	var formulas []formula
	emit := func(tex string, display bool, line int) {
		fmt.Fprintf(&out, "%s%dx", placeholderPrefix, len(formulas))
		formulas = append(formulas, formula{tex: strings.TrimSpace(tex), display: display, line: line})
	}
	line := 1
	lineStart := true
	fence := ""
	for i := 0; i < len(src); {
		if lineStart {
			end := strings.IndexByte(src[i:], '\n')
			if end < 0 {
				end = len(src) - i
			}
			l := strings.TrimLeft(src[i:i+end], " ")
			if fence != "" || strings.HasPrefix(l, "```") || strings.HasPrefix(l, "~~~") {
				// Inside or at the edge of a fenced code block: copy the
				// line as it is.
				switch {
				case fence == "":
					fence = l[:3]
				case strings.HasPrefix(l, fence) && strings.TrimSpace(strings.Trim(l, fence[:1])) == "":
					fence = ""
				}
				out.WriteString(src[i : i+end])
				i += end
				lineStart = false
				continue
			}
		}
		c := src[i]
		switch {
		case c == '\n':
			out.WriteByte(c)
			line++
			i++
			lineStart = true
			continue
		case c == '\\' && i+1 < len(src):
			out.WriteString(src[i : i+2])
			if src[i+1] == '\n' {
				line++
			}
			i += 2
		case c == '`':
			n := runLength(src[i:], '`')
			if j := findRun(src[i+n:], n); j >= 0 {
				span := src[i : i+n+j+n]
				out.WriteString(span)
				line += strings.Count(span, "\n")
				i += len(span)
			} else {
				out.WriteString(src[i : i+n])
				i += n
			}
		case c == '$' && strings.HasPrefix(src[i:], "$$"):
			j := strings.Index(src[i+2:], "$$")
			if j < 0 {
				out.WriteString("$$")
				i += 2
				break
			}
			tex := src[i+2 : i+2+j]
			emit(tex, true, line)
			line += strings.Count(tex, "\n")
			i += 2 + j + 2
		case c == '$':
			if j := closingDollar(src[i+1:]); j >= 0 {
				tex := src[i+1 : i+1+j]
				emit(tex, false, line)
				line += strings.Count(tex, "\n")
				i += 1 + j + 1
			} else {
				out.WriteByte(c)
				i++
			}
		default:
			out.WriteByte(c)
			i++
		}
		lineStart = false
	}
	return out.String(), formulas
}

// runLength returns how many times c repeats at the start of s.
func runLength(s string, c byte) int {
	n := 0
	for n < len(s) && s[n] == c {
		n++
	}
	return n
}

// findRun returns the index in s of the first run of exactly n backticks,
// or -1.
func findRun(s string, n int) int {
	for i := 0; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		m := runLength(s[i:], '`')
		if m == n {
			return i
		}
		i += m
	}
	return -1
}

// closingDollar returns the index in s (the text after an opening $) of
// the $ that closes an inline formula, or -1 when there is none.
func closingDollar(s string) int {
	if s == "" || s[0] == ' ' || s[0] == '\n' || s[0] == '$' {
		return -1
	}
	for j := 0; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '\n':
			if strings.HasPrefix(strings.TrimLeft(s[j+1:], " \t"), "\n") {
				return -1 // a blank line ends the paragraph
			}
		case '$':
			if s[j-1] == ' ' || s[j-1] == '\n' || j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9' {
				continue
			}
			return j
		}
	}
	return -1
}

// stylesheet is the page's whole style: readable line length, and
// colours for light and dark schemes.
const stylesheet = `
:root{color-scheme:light dark;--fg:#1f2328;--bg:#fff;--muted:#59636e;--link:#0969da;--rule:#d1d9e0;--code:#f3f4f6;--mark:#fff8c5}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9198a1;--link:#4493f8;--rule:#3d444d;--code:#1b2129;--mark:#3b3114}}
html{background:var(--bg);color:var(--fg)}
body{margin:0;font:17px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",sans-serif}
main{max-width:46rem;margin:0 auto;padding:2rem 1.25rem 5rem}
h1,h2,h3{line-height:1.25;margin:2em 0 .6em}
h1{font-size:2rem;margin-top:.5em}
h2{font-size:1.45rem;padding-bottom:.25em;border-bottom:1px solid var(--rule)}
h3{font-size:1.15rem}
a{color:var(--link);text-underline-offset:.15em}
code{font:.88em/1 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--code);padding:.12em .3em;border-radius:4px}
table{border-collapse:collapse;margin:1em 0;display:block;overflow-x:auto}
th,td{border:1px solid var(--rule);padding:.35em .7em;text-align:left;vertical-align:top}
th{background:var(--code)}
li{margin:.3em 0}
math{font-family:"Latin Modern Math","STIX Two Math","Cambria Math",math;font-size:1.08em}
math[display=block]{margin:.8em 0;padding:.15em 0;overflow-x:auto;overflow-y:hidden}
a[id]{scroll-margin-top:1rem}
a[id]:target+*{background:var(--mark);border-radius:4px}
`
