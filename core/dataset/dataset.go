// Package dataset is the user's own data (docs/spec.md#data): the data
// key's compact encoding (points quantized to a grid over the data box,
// sorted, delta-coded, deflated, base64url; docs/spec.md#data-encoding),
// the CSV files a larger data set travels in, their identity (the
// datafile key), and the held-out split (docs/math.md#no-truth).
//
// It is apart from core/density so that the page's spec code, which reads
// only the header (density.DataHeader), does not link compress/flate.
package dataset

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"nceplay/core/density"
)

// cell returns the grid cell of coordinate x on axis a of the box
// (docs/spec.md#data-encoding): floor((x − lo)/step), the top edge in the
// last cell.
func cell(x float64, b density.Box, a, bits int) uint64 {
	cells := uint64(1) << bits
	f := math.Floor((x - b.Lo[a]) / (b.Hi[a] - b.Lo[a]) * float64(cells))
	if f < 0 {
		return 0
	}
	if f >= float64(cells) {
		return cells - 1
	}
	return uint64(f)
}

// centre returns the centre of cell q on axis a: lo + (q + ½)·step.
func centre(q uint64, b density.Box, a, bits int) float64 {
	return b.Lo[a] + (float64(q)+0.5)*(b.Hi[a]-b.Lo[a])/float64(uint64(1)<<bits)
}

// Check returns an error naming the first point (counted from 1) that
// lies outside DataBox(dim) or is not finite, and one for a count outside
// MinDataPoints … MaxDataPoints.
func Check(pts []float64, dim int) error {
	if dim != 1 && dim != 2 {
		return fmt.Errorf("data: dimension %d; want 1 or 2", dim)
	}
	n := len(pts) / dim
	if len(pts)%dim != 0 {
		return fmt.Errorf("data: %d values are not whole %dD points", len(pts), dim)
	}
	if n < density.MinDataPoints || n > density.MaxDataPoints {
		return fmt.Errorf("data: %d points; a data set has %d … %d", n, density.MinDataPoints, density.MaxDataPoints)
	}
	b := density.DataBox(dim)
	for i := range n {
		for a := range dim {
			x := pts[i*dim+a]
			if !(x >= b.Lo[a] && x <= b.Hi[a]) {
				return fmt.Errorf("data: point %d (%s) lies outside the box %s", i+1, fmtPoint(pts[i*dim:(i+1)*dim]), BoxText(dim))
			}
		}
	}
	return nil
}

// BoxText describes DataBox(dim): "[−5, 5]" or "[−4, 4]²".
func BoxText(dim int) string {
	b := density.DataBox(dim)
	s := fmt.Sprintf("[%g, %g]", b.Lo[0], b.Hi[0])
	if dim == 2 {
		s += "²"
	}
	return s
}

func fmtPoint(p []float64) string {
	s := strconv.FormatFloat(p[0], 'g', 6, 64)
	if len(p) == 2 {
		s += ", " + strconv.FormatFloat(p[1], 'g', 6, 64)
	}
	return s
}

// Encode returns the data key's value for the points (n·dim values):
// each is moved to the centre of its grid cell, so Decode gives them back
// within half a grid step (density.DataStep) on each axis, sorted by cell.
// It fails as Check does.
func Encode(pts []float64, dim int) (string, error) {
	if err := Check(pts, dim); err != nil {
		return "", err
	}
	n := len(pts) / dim
	b, bits := density.DataBox(dim), density.DataBits(dim)
	idx := make([]uint64, n)
	for i := range n {
		q := cell(pts[i*dim], b, 0, bits)
		if dim == 2 {
			q = q<<bits | cell(pts[i*dim+1], b, 1, bits)
		}
		idx[i] = q
	}
	slices.Sort(idx)
	var head [3 + binary.MaxVarintLen64]byte
	head[0], head[1], head[2] = density.DataVersion, byte(dim), byte(bits)
	w := 3 + binary.PutUvarint(head[3:], uint64(n))
	var out bytes.Buffer
	out.Write(head[:w])
	fw, _ := flate.NewWriter(&out, flate.BestCompression) // a valid level: no error
	var buf [binary.MaxVarintLen64]byte
	prev := uint64(0)
	for _, q := range idx {
		fw.Write(buf[:binary.PutUvarint(buf[:], q-prev)])
		prev = q
	}
	fw.Close()
	return base64.RawURLEncoding.EncodeToString(out.Bytes()), nil
}

// Decode reads a data key's value: its dimension and its points (the
// centres of their cells, sorted by cell). Hostile input never panics:
// a bad header, a corrupt or truncated stream, a cell outside the grid or
// bytes after the last point give an error saying which.
func Decode(value string) (dim int, pts []float64, err error) {
	dim, n, raw, off, err := density.DataHeader(value)
	if err != nil {
		return 0, nil, fmt.Errorf("data: the value %w", err)
	}
	bits := density.DataBits(dim)
	limit := uint64(1) << (bits * dim) // cells in the grid
	// n uvarints of at most ⌈bits·dim/7⌉ bytes each, and one more byte to
	// see that the stream ends there.
	maxLen := int64(n)*int64((bits*dim+6)/7) + 1
	src := bytes.NewReader(raw[off:]) // an io.ByteReader: flate reads no further than its stream
	fr := flate.NewReader(src)
	defer fr.Close()
	br := &byteReader{r: io.LimitReader(fr, maxLen)}
	b := density.DataBox(dim)
	pts = make([]float64, n*dim)
	q := uint64(0)
	for i := range n {
		d, err := binary.ReadUvarint(br)
		if err != nil {
			if br.err != nil && !errors.Is(br.err, io.EOF) {
				return 0, nil, fmt.Errorf("data: the compressed points are corrupt at point %d of %d (%v)", i+1, n, br.err)
			}
			return 0, nil, fmt.Errorf("data: the points end after %d of the %d the header announces", i, n)
		}
		if d >= limit || q+d >= limit {
			return 0, nil, fmt.Errorf("data: point %d of %d falls outside the grid of %d cells", i+1, n, limit)
		}
		q += d
		if dim == 1 {
			pts[i] = centre(q, b, 0, bits)
		} else {
			pts[2*i] = centre(q>>bits, b, 0, bits)
			pts[2*i+1] = centre(q&(uint64(1)<<bits-1), b, 1, bits)
		}
	}
	if _, err := br.ReadByte(); err == nil {
		return 0, nil, fmt.Errorf("data: bytes follow the %d points the header announces", n)
	} else if !errors.Is(err, io.EOF) {
		return 0, nil, fmt.Errorf("data: the compressed points are corrupt after the last point (%v)", err)
	}
	if src.Len() > 0 {
		return 0, nil, fmt.Errorf("data: %d bytes follow the compressed points", src.Len())
	}
	return dim, pts, nil
}

// byteReader reads bytes one at a time, keeping the underlying error.
type byteReader struct {
	r   io.Reader
	b   [1]byte
	err error
}

func (r *byteReader) ReadByte() (byte, error) {
	if r.err != nil {
		return 0, r.err
	}
	_, err := io.ReadFull(r.r, r.b[:])
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			err = io.EOF
		}
		r.err = err
		return 0, err
	}
	return r.b[0], nil
}

// ID returns the identity of a data set for the datafile key
// (docs/spec.md#data-file): the first 16 hex digits of the SHA-256 of its
// points (the dimension byte, then each value's IEEE-754 bits, little
// endian, in file order), a dash and the number of points. The same
// points give the same ID whatever the file's layout (header, comments,
// separators, number formats).
func ID(pts []float64, dim int) string {
	h := sha256.New()
	h.Write([]byte{byte(dim)})
	var b [8]byte
	for _, x := range pts {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(x+0))
		h.Write(b[:])
	}
	return hex.EncodeToString(h.Sum(nil)[:8]) + "-" + strconv.Itoa(len(pts)/dim)
}

// HeldOut returns how many of n points are held out for the held-out
// log-likelihood (docs/math.md#no-truth): a fifth, rounded down.
func HeldOut(n int) int { return n / 5 }
