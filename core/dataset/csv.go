package dataset

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"

	"nceplay/core/density"
)

// MaxFileBytes caps a data file (docs/spec.md#data-file): 1 MiB.
const MaxFileBytes = 1 << 20

// ParseCSV reads a data file (docs/spec.md#data-file): one point per line,
// 1 or 2 numeric columns separated by a comma, a semicolon, a tab or
// spaces; blank lines and lines starting with # are skipped, and so is a
// first line that holds no number (a header). dim is the dimension the
// experiment wants (1 or 2), or 0 to take the first point's. Every error
// names the line: "line 17: 'abc' is not a number". A file over
// MaxFileBytes or with more than density.MaxDataPoints points is refused,
// and so is a point outside the data box (density.DataBox).
func ParseCSV(data []byte, dim int) (pts []float64, gotDim int, err error) {
	if len(data) > MaxFileBytes {
		return nil, 0, fmt.Errorf("data file: %d bytes, more than %d (1 MiB)", len(data), MaxFileBytes)
	}
	gotDim = dim
	b := density.Box{}
	line := 0
	header := true // a header may come before the first point
	for len(data) > 0 {
		var l []byte
		l, data, _ = bytes.Cut(data, []byte{'\n'})
		line++
		s := strings.TrimSpace(strings.TrimPrefix(string(l), "\ufeff"))
		if s == "" || s[0] == '#' {
			continue
		}
		fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\t' || r == ' ' })
		if len(fields) == 0 {
			return nil, 0, fmt.Errorf("line %d: no value", line)
		}
		vals := make([]float64, len(fields))
		bad := -1
		for i, f := range fields {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				if bad < 0 {
					bad = i
				}
				continue
			}
			vals[i] = v
		}
		if header && bad >= 0 && allText(fields) {
			header = false
			continue // a header line: no number in it
		}
		header = false
		if bad >= 0 {
			return nil, 0, fmt.Errorf("line %d: %s is not a number", line, quote(fields[bad]))
		}
		if gotDim == 0 {
			if len(fields) > 2 {
				return nil, 0, fmt.Errorf("line %d: %d columns; a data file has 1 (x) or 2 (x, y)", line, len(fields))
			}
			gotDim = len(fields)
		}
		if len(fields) != gotDim {
			return nil, 0, fmt.Errorf("line %d: %d columns; want %d (%s)", line, len(fields), gotDim, [3]string{"", "x", "x, y"}[gotDim])
		}
		if b == (density.Box{}) {
			b = density.DataBox(gotDim)
		}
		for a, v := range vals {
			if !(v >= b.Lo[a] && v <= b.Hi[a]) {
				return nil, 0, fmt.Errorf("line %d: point (%s) lies outside the box %s", line, density.FmtPoint(vals), density.DataBoxText(gotDim))
			}
		}
		if len(pts)/gotDim >= density.MaxDataPoints {
			return nil, 0, fmt.Errorf("line %d: more than %d points", line, density.MaxDataPoints)
		}
		pts = append(pts, vals...)
	}
	if gotDim == 0 || len(pts)/gotDim < density.MinDataPoints {
		n := 0
		if gotDim > 0 {
			n = len(pts) / gotDim
		}
		return nil, 0, fmt.Errorf("data file: %d points; a data set has %d … %d", n, density.MinDataPoints, density.MaxDataPoints)
	}
	return pts, gotDim, nil
}

// allText reports whether no field is a number.
func allText(fields []string) bool {
	for _, f := range fields {
		if _, err := strconv.ParseFloat(f, 64); err == nil {
			return false
		}
	}
	return true
}

// quote writes a field for a message: single-quoted, control characters
// escaped, cut to 40 characters.
func quote(s string) string {
	q := strconv.Quote(s)
	q = q[1 : len(q)-1]
	if r := []rune(q); len(r) > 40 {
		q = string(r[:40]) + "…"
	}
	return "'" + q + "'"
}

// FormatCSV writes points as a data file: a header line, then one point
// per line with the shortest round-trip numbers, so ParseCSV gives back
// the same float64s (and the same ID).
func FormatCSV(pts []float64, dim int) []byte {
	var b bytes.Buffer
	if dim == 2 {
		b.WriteString("x,y\n")
	} else {
		b.WriteString("x\n")
	}
	for i := 0; i+dim <= len(pts); i += dim {
		b.WriteString(strconv.FormatFloat(pts[i], 'g', -1, 64))
		if dim == 2 {
			b.WriteByte(',')
			b.WriteString(strconv.FormatFloat(pts[i+1], 'g', -1, 64))
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}
