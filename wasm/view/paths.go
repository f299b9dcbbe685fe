package view

import "strings"

// MaxPathD is the most path data one SVG path element carries. Vugu's
// renderer sends each attribute to the page in one instruction of a 16 KB
// buffer and panics on a longer one, so a long contour or curve is drawn
// as several path elements.
const MaxPathD = 8192

// Paths returns lines with every path longer than MaxPathD cut into
// pieces at its move-to and line-to commands, each piece a Line of the
// same class and no label (so a legend lists the line once). A piece cut
// at a line-to starts with a move-to the point it continues from, so the
// pieces draw exactly the original path.
func Paths(lines []Line) []Line {
	long := false
	for _, l := range lines {
		long = long || len(l.D) > MaxPathD
	}
	if !long {
		return lines
	}
	var out []Line
	for _, l := range lines {
		if len(l.D) <= MaxPathD {
			out = append(out, l)
			continue
		}
		for i, d := range splitPath(l.D, MaxPathD) {
			p := l
			p.D = d
			if i > 0 {
				p.Label, p.Short = "", ""
			}
			out = append(out, p)
		}
	}
	return out
}

// splitPath cuts d, a path of M and L commands with absolute coordinates
// "x y" (as Path and Contour write it), into pieces of at most max bytes.
// A command longer than max on its own (never written here) is a piece of
// its own.
func splitPath(d string, max int) []string {
	var pieces []string
	var b strings.Builder
	last := "" // the coordinates of the last point written
	for len(d) > 0 {
		end := strings.IndexAny(d[1:], "ML")
		if end < 0 {
			end = len(d)
		} else {
			end++
		}
		cmd := d[:end]
		d = d[end:]
		if b.Len() > 0 && b.Len()+len(cmd) > max {
			pieces = append(pieces, b.String())
			b.Reset()
			if cmd[0] == 'L' && last != "" {
				b.WriteString("M" + last)
			}
		}
		b.WriteString(cmd)
		if cmd[0] == 'M' || cmd[0] == 'L' {
			last = cmd[1:]
		}
	}
	if b.Len() > 0 {
		pieces = append(pieces, b.String())
	}
	return pieces
}
