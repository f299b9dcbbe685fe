package spec

import (
	"strconv"
	"strings"
)

// MarkdownTable returns the playground's key table for the docs, generated from Keys:
// a Markdown table with the columns key, values, default and meaning, one
// row per key in canonical order, ending in a newline. cmd/specdoc writes
// it into README.md.
func MarkdownTable() string { return Playground.MarkdownTable() }

// markdown is Table.MarkdownTable.
func (t *table) markdown() string {
	var b strings.Builder
	b.WriteString("| key | values | default | meaning |\n|---|---|---|---|\n")
	for i := range t.rows {
		k := t.rows[i]
		meaning := k.Doc
		if k.View {
			meaning = "(view only) " + meaning
		}
		b.WriteString("| `" + k.Name + "` | " + cell(k.valuesDoc()) + " | " + cell(k.Default) + " | " + cell(meaning) + " |\n")
	}
	return b.String()
}

// valuesDoc is Allowed, with an enum that has Dims grouped by dimension:
// "1D: quartic, gauss · 2D: ring, moons".
func (k *row) valuesDoc() string {
	if k.Dims == nil {
		return k.allowed()
	}
	var groups []string
	for d := 1; d <= 2; d++ {
		var vs []string
		for i, v := range k.Values {
			if k.Dims[i] == d {
				vs = append(vs, v)
			}
		}
		if vs != nil {
			groups = append(groups, strconv.Itoa(d)+"D: "+strings.Join(vs, ", "))
		}
	}
	return strings.Join(groups, " · ")
}

// cell escapes the characters that would break a table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}
