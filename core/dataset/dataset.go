// Package dataset is the user's own data (docs/spec.md#data): the data
// key's compact encoding (points quantized to a grid over the data box,
// sorted, delta-coded, deflated, base64url; docs/spec.md#data-encoding),
// the CSV files a larger data set travels in, their identity (the
// datafile key), and the held-out split (docs/math.md#no-truth).
//
// It is apart from core/density and core/nce so that the page, which
// links core/spec and core/nce's types but reads only the header
// (density.DataHeader), links neither compress/flate nor crypto/sha256
// (they cost ui.wasm 52 KB brotli); the worker and the runner build a
// data target's trainer here (NewTrainer).
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
	"nceplay/core/nce"
	"nceplay/core/spec"
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

// Encode returns the data key's value for the points (n·dim values):
// each is moved to the centre of its grid cell, so Decode gives them back
// within half a grid step (density.DataStep) on each axis, sorted by cell.
// It fails as Check does.
func Encode(pts []float64, dim int) (string, error) {
	if err := density.CheckData(pts, dim); err != nil {
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
	dim, n, _, off, err := density.DataHeader(value)
	if err != nil {
		return 0, nil, fmt.Errorf("data: the value %w", err)
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(value)
	if err != nil {
		return 0, nil, fmt.Errorf("data: the value is not base64url without padding (%v)", err)
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

// NewTrainer builds the trainer of s (docs/spec.md#data): for a data
// target, from the points of its data key, or from file, the points of
// its data file (nil when there is none), which must be those the
// datafile key names (ID); when s names neither, the file's ID is added.
// Any other spec is nce.New's. A data file's link without the file gives
// an *nce.NeedsFileError.
func NewTrainer(s spec.Spec, file []float64) (*nce.Trainer, error) {
	if !s.IsData() {
		if file != nil {
			return nil, fmt.Errorf("data: target %s has its own density; a data file needs target=%s or %s", s.Target, density.DataTarget(1).Name, density.DataTarget(2).Name)
		}
		return nce.New(s)
	}
	if file == nil {
		if s.Data == "" {
			n, _ := spec.DataFileSize(s.DataFile)
			return nil, &nce.NeedsFileError{ID: s.DataFile, N: n}
		}
		dim, pts, err := Decode(s.Data)
		if err != nil {
			return nil, err
		}
		if dim != s.Dim() {
			return nil, fmt.Errorf("data: %dD points for the %dD target %s", dim, s.Dim(), s.Target)
		}
		return nce.NewWithData(s, pts)
	}
	if s.Data != "" {
		return nil, fmt.Errorf("data: the spec carries its data set in the data key; a file would replace it")
	}
	if err := density.CheckData(file, s.Dim()); err != nil {
		return nil, err
	}
	id := ID(file, s.Dim())
	if s.DataFile == "" {
		s.DataFile = id
	} else if s.DataFile != id {
		return nil, fmt.Errorf("data: the file's points are %s, not the %s this experiment was run on", id, s.DataFile)
	}
	return nce.NewWithData(s, file)
}
