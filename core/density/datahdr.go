package density

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
)

// The data key's encoding (docs/spec.md#data-encoding): base64url without
// padding of the bytes
//
//	version (1) · dim (1 or 2) · bits per axis · uvarint n · DEFLATE(deltas)
//
// where the deltas are n uvarints, the differences of the points' sorted
// cell indices on a grid of 2^bits cells per axis over DataBox(dim). The
// header is read without inflating anything, so the spec (and the page)
// can check a link cheaply; package core/dataset encodes and decodes the
// points.
const (
	DataVersion   = 1
	DataBits1D    = 16 // 65,536 cells over [−5, 5]: a step of 1.5·10⁻⁴
	DataBits2D    = 12 // 4,096 cells per axis over [−4, 4]: a step of 2⁻⁹ ≈ 0.00195
	MinDataPoints = 10
	// MaxDataPoints caps a data set, in the link or in a file.
	MaxDataPoints = 20000
)

// DataBits returns the grid's bits per axis for dimension dim.
func DataBits(dim int) int {
	if dim == 2 {
		return DataBits2D
	}
	return DataBits1D
}

// DataStep returns the grid step of dimension dim: the box's width over
// 2^DataBits(dim). A point read back from a link lies within half a step
// of the point encoded, on each axis.
func DataStep(dim int) float64 {
	b := DataBox(dim)
	return (b.Hi[0] - b.Lo[0]) / float64(uint64(1)<<DataBits(dim))
}

// DataHeader reads the header of a data key's value: its dimension, its
// number of points, and the offset of the compressed deltas in the
// decoded bytes. It checks the version, the dimension, the grid and the
// count, and returns an error saying which is wrong.
func DataHeader(value string) (dim, n int, raw []byte, off int, err error) {
	raw, err = base64.RawURLEncoding.Strict().DecodeString(value)
	if err != nil {
		return 0, 0, nil, 0, fmt.Errorf("is not base64url without padding (%v)", err)
	}
	if len(raw) < 4 {
		return 0, 0, nil, 0, fmt.Errorf("is %d bytes, too short for the header", len(raw))
	}
	if raw[0] != DataVersion {
		return 0, 0, nil, 0, fmt.Errorf("has format version %d; this version reads only %d", raw[0], DataVersion)
	}
	dim = int(raw[1])
	if dim != 1 && dim != 2 {
		return 0, 0, nil, 0, fmt.Errorf("has dimension %d; want 1 or 2", dim)
	}
	if int(raw[2]) != DataBits(dim) {
		return 0, 0, nil, 0, fmt.Errorf("has a grid of %d bits per axis; version %d uses %d in %dD", raw[2], DataVersion, DataBits(dim), dim)
	}
	u, w := binary.Uvarint(raw[3:])
	if w <= 0 {
		return 0, 0, nil, 0, fmt.Errorf("has a malformed point count")
	}
	if u < MinDataPoints || u > MaxDataPoints {
		return 0, 0, nil, 0, fmt.Errorf("holds %d points; a data set has %d … %d", u, MinDataPoints, MaxDataPoints)
	}
	return dim, int(u), raw, 3 + w, nil
}
