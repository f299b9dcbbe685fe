// Package chart is what every picture of the project shares: the palette
// (data, noise, truth, model; light and dark), the colour maps of the
// heatmaps, tick placement and number formats. The browser's panels
// (wasm/view), the page's stylesheet (cmd/webbuild writes palette.css from
// Palettes) and the server's link previews (server/preview) all draw with
// it, so a colour, a tick or a number looks the same everywhere. Standard
// library only: it runs in the browser's wasm.
package chart

import (
	"fmt"
	"math"
)

// RGB is an 8-bit colour.
type RGB struct{ R, G, B uint8 }

// Hex returns the colour as #rrggbb.
func (c RGB) Hex() string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

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

// A ColorMap maps [0, 1] to colours.
type ColorMap func(t float64) RGB

// Viridis maps t in [0, 1] (clamped; NaN counts as 0) to the viridis map,
// for densities.
func Viridis(t float64) RGB { return interp(viridisStops[:], t) }

// Diverging maps a probability P(1|x) in [0, 1] to the noise–data map,
// neutral at ½.
func Diverging(t float64) RGB { return interp(divergingStops[:], t) }
