package view

import "strings"

// A Span is a piece of rich text: plain text, or a link when Href is set.
type Span struct {
	Text, Href string
	// Room, when not 0, is the width the span keeps, in characters: a
	// live number whose changing width would reflow its text (NowSpans).
	Room int
}

// Rich splits a text into spans, turning each [label](docs/<file>.md#<anchor>)
// citation into a link to the page the site serves for that document
// (DocHref). Texts cite the docs this way so that the tests that resolve
// every citation see them (docs/architecture.md#citations). (No regexp:
// it would add a quarter of a megabyte to the page's wasm.)
func Rich(text string) []Span {
	var out []Span
	for text != "" {
		label, file, anchor, before, after, ok := nextLink(text)
		if !ok {
			out = append(out, Span{Text: text})
			break
		}
		if before != "" {
			out = append(out, Span{Text: before})
		}
		out = append(out, Span{Text: label, Href: DocHref(file, anchor)})
		text = after
	}
	return out
}

// nextLink finds the first [label](docs/<file>.md#<anchor>) in text.
func nextLink(text string) (label, file, anchor, before, after string, ok bool) {
	for i := 0; i < len(text); i++ {
		if text[i] != '[' {
			continue
		}
		close := strings.Index(text[i:], "](docs/")
		if close < 0 {
			return
		}
		close += i
		end := strings.IndexByte(text[close:], ')')
		if end < 0 {
			return
		}
		end += close
		label, target := text[i+1:close], text[close+2:end]
		if strings.ContainsAny(label, "[]") {
			continue
		}
		file, anchor, _ = strings.Cut(target, "#")
		if !strings.HasSuffix(file, ".md") {
			continue
		}
		if anchor != "" {
			anchor = "#" + anchor
		}
		return label, file, anchor, text[:i], text[end+1:], true
	}
	return
}

// Plain is a rich text's words without its links' targets.
func Plain(text string) string {
	var b strings.Builder
	for _, s := range Rich(text) {
		b.WriteString(s.Text)
	}
	return b.String()
}

// DocHref is the site's address of a docs file ("docs/math.md") and an
// anchor ("#e5", or ""): "/docs/math.html#e5".
func DocHref(file, anchor string) string {
	return "/" + strings.TrimSuffix(file, ".md") + ".html" + anchor
}
