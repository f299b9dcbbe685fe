package density

import (
	"encoding/binary"
	"fmt"
	"strings"
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

// b64url is the URL-safe base64 alphabet of RFC 4648.
const b64url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// decodeHead decodes the first (at most 12) characters of a base64url
// value without padding: enough for the header (3 bytes and a uvarint of
// at most 3), checked without linking a whole base64 decoder into the
// page; core/dataset's decoder checks the rest.
func decodeHead(value string) ([]byte, error) {
	if len(value)%4 == 1 {
		return nil, fmt.Errorf("is not base64url without padding (a length of 4k+1 characters)")
	}
	head := value[:min(len(value), 12)]
	var out []byte
	var acc, bits uint
	for i := 0; i < len(head); i++ {
		v := strings.IndexByte(b64url, head[i])
		if v < 0 {
			return nil, fmt.Errorf("is not base64url without padding (the character %q at %d)", head[i], i+1)
		}
		acc, bits = acc<<6|uint(v), bits+6
		if bits >= 8 {
			bits -= 8
			out = append(out, byte(acc>>bits))
			acc &= 1<<bits - 1
		}
	}
	return out, nil
}

// DataHeader reads the header of a data key's value: its dimension, its
// number of points, the first decoded bytes (at most 9) and the offset of
// the compressed deltas in them. It checks the version, the dimension, the grid and the
// count, and returns an error saying which is wrong.
func DataHeader(value string) (dim, n int, raw []byte, off int, err error) {
	raw, err = decodeHead(value)
	if err != nil {
		return 0, 0, nil, 0, err
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
