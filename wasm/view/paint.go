// Package view holds the playground's pure presentation logic: colour
// maps, ticks, plot geometry, contours, controls derived from the spec
// table, presets, explanations and exports. It has no browser code, so
// every function here is tested natively; the Vugu components only call it.
package view

import (
	"math"

	"nceplay/chart"
)

// Paint writes a res×res heatmap of vals (row-major, x fastest, y
// increasing, as core's grids are) into dst as RGBA pixels with y
// increasing upwards (row 0 of dst is the top of the plot). Each value v
// is mapped through cm((v − lo)/(hi − lo)); dst must hold 4·res² bytes.
func Paint(dst []byte, vals []float32, res int, lo, hi float64, cm chart.ColorMap) {
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
