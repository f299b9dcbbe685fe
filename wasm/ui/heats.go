package main

import "nceplay/wasm/view"

// drawHeats puts the heatmaps' pixels on their canvases (after the live
// content is written, Root.updateLive). A canvas is painted once per new
// set of pixels (Heat.Seq), or when it is new.
func drawHeats(hs ...*view.Heat) {
	for _, h := range hs {
		if h != nil && h.Pix != nil {
			drawPixels(h.ID, h.Seq, h.W, h.H, h.Pix)
		}
	}
}

var pixSeq uint64

// newPixels gives a heat with freshly painted pixels its Seq.
func newPixels(h *view.Heat) {
	pixSeq++
	h.Seq = pixSeq
}

// A stamp is what a panel's plot was last built for: a frame (Ver) and a
// slot size; seq keeps the Seq of pixels that a rebuild reuses.
type stamp struct {
	ver  int
	size view.Size
	seq  uint64
	ok   bool
}

// stale reports whether the plot must be rebuilt for frame ver at size sz.
func (s *stamp) stale(ver int, sz view.Size) bool { return !s.ok || s.ver != ver || s.size != sz }

func (s *stamp) set(ver int, sz view.Size, seq uint64) {
	*s = stamp{ver: ver, size: sz, seq: seq, ok: true}
}

// hovers are the plots' readouts by slot id, for the page's hover
// handler (bridge_wasm.go).
var hovers = map[string]*view.Hover{}
