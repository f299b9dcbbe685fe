// Package view holds the playground's pure presentation logic: colour
// maps, ticks, plot geometry, contours, controls derived from the spec
// table, presets, explanations and exports. It has no browser code, so
// every function here is tested natively; the Vugu components only call it.
package view

import (
	"fmt"
	"math"
)

// RGB is an 8-bit colour.
type RGB struct{ R, G, B uint8 }

// Hex returns the colour as #rrggbb.
func (c RGB) Hex() string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// The Okabe–Ito palette, safe for the common colour-vision deficiencies.
// The playground draws data in Blue and noise in Vermillion everywhere.
var (
	OIOrange     = RGB{0xE6, 0x9F, 0x00}
	OISkyBlue    = RGB{0x56, 0xB4, 0xE9}
	OIGreen      = RGB{0x00, 0x9E, 0x73}
	OIYellow     = RGB{0xF0, 0xE4, 0x42}
	OIBlue       = RGB{0x00, 0x72, 0xB2}
	OIVermillion = RGB{0xD5, 0x5E, 0x00}
	OIPurple     = RGB{0xCC, 0x79, 0xA7}
	OIBlack      = RGB{0x00, 0x00, 0x00}
)

// viridisStops samples matplotlib's viridis at t = 0, 1/8, …, 1.
var viridisStops = [...]RGB{
	{0x44, 0x01, 0x54}, {0x47, 0x2d, 0x7b}, {0x3b, 0x52, 0x8b}, {0x2c, 0x72, 0x8e},
	{0x21, 0x91, 0x8c}, {0x28, 0xae, 0x80}, {0x5e, 0xc9, 0x62}, {0xad, 0xdc, 0x30},
	{0xfd, 0xe7, 0x25},
}

// divergingStops run from the noise colour (P = 0) through a light neutral
// (P = ½) to the data colour (P = 1): a blue–orange map that stays
// readable with red–green colour blindness.
var divergingStops = [...]RGB{
	{0xB3, 0x4A, 0x00}, {0xE6, 0x8A, 0x3C}, {0xF5, 0xC8, 0x9A},
	{0xF2, 0xF2, 0xEE},
	{0x9E, 0xC9, 0xE6}, {0x3D, 0x8F, 0xC6}, {0x00, 0x5A, 0x8F},
}

func interp(stops []RGB, t float64) RGB {
	if !(t > 0) { // also NaN
		return stops[0]
	}
	if t >= 1 {
		return stops[len(stops)-1]
	}
	f := t * float64(len(stops)-1)
	i := int(f)
	u := f - float64(i)
	a, b := stops[i], stops[i+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + u*(float64(y)-float64(x)))) }
	return RGB{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B)}
}

// Viridis maps t in [0, 1] (clamped; NaN counts as 0) to the viridis map.
func Viridis(t float64) RGB { return interp(viridisStops[:], t) }

// Diverging maps a probability P(1|x) in [0, 1] to the noise–data map.
func Diverging(t float64) RGB { return interp(divergingStops[:], t) }

// A ColorMap maps [0, 1] to colours.
type ColorMap func(t float64) RGB

// Paint writes a res×res heatmap of vals (row-major, x fastest, y
// increasing, as core's grids are) into dst as RGBA pixels with y
// increasing upwards (row 0 of dst is the top of the plot). Each value v
// is mapped through cm((v − lo)/(hi − lo)); dst must hold 4·res² bytes.
func Paint(dst []byte, vals []float32, res int, lo, hi float64, cm ColorMap) {
	span := hi - lo
	if !(span > 0) {
		span = 1
	}
	for iy := range res {
		row := (res - 1 - iy) * res * 4
		for ix := range res {
			c := cm((float64(vals[iy*res+ix]) - lo) / span)
			p := row + ix*4
			dst[p], dst[p+1], dst[p+2], dst[p+3] = c.R, c.G, c.B, 255
		}
	}
}

// Range returns the smallest and largest finite values of vals, and false
// if there are none.
func Range(vals []float32) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range vals {
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		lo, hi = min(lo, f), max(hi, f)
	}
	return lo, hi, lo <= hi
}
