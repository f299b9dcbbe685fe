package main

import (
	"strconv"

	"nceplay/wasm/labview"
	"nceplay/wasm/wire"
)

// VocabPanels is the large-vocabulary lab's three panels: perplexity
// against training time, log Z(ctx) per context (and a_ctx where it is
// learned), and the time per step against V. All are SVG: no canvas.
// One template draws the three (a small page: docs/architecture.md#lab-pages).
type VocabPanels struct {
	P            *wire.VocabPanels
	Ver          int
	Short, Embed bool
	R            []labview.Readout

	curves, logz, a, probe labview.Chart
	panels                 []vocabPanel
	built                  int
}

// vocabPanel is one panel: its name (data-panel), heading, subtitle,
// body class and charts.
type vocabPanel struct {
	Name, Title, Sub, Body string
	Charts                 []*labview.Chart
}

func (c *VocabPanels) Compute() {
	if c.P == nil {
		return
	}
	if c.built != c.Ver {
		c.built = c.Ver
		c.curves, c.logz, c.probe = labview.VocabCurves(c.P), labview.VocabLogZ(c.P), labview.VocabProbe(c.P)
		var hasA bool
		c.a, hasA = labview.VocabA(c.P)
		z := vocabPanel{Name: labview.VocabPanelLogZ, Title: "log Z(ctx) per context", Body: "nce-pbody", Charts: []*labview.Chart{&c.logz}}
		if hasA {
			z.Body, z.Charts = "nce-pbody nce-vpair", append(z.Charts, &c.a)
		}
		c.panels = []vocabPanel{
			{Name: labview.VocabPanelCurves, Title: "Perplexity against time", Body: "nce-pbody", Charts: []*labview.Chart{&c.curves},
				Sub: "V = " + strconv.Itoa(c.P.Vocab) + ", " + strconv.Itoa(c.P.Contexts) + " contexts"},
			z,
			{Name: labview.VocabPanelProbe, Title: "Time per step against V", Body: "nce-pbody", Charts: []*labview.Chart{&c.probe}},
		}
	}
	c.panels[1].Sub, c.panels[2].Sub = c.stats(), c.probeState()
}

// CapClass is the captions' class: full on the full page, one line in an
// embed that asks for captions, none otherwise.
func (c *VocabPanels) CapClass() string {
	switch {
	case !c.Embed:
		return "nce-cap"
	case c.Short:
		return "nce-capline"
	}
	return ""
}

// Caption is a panel's caption, as CapClass says.
func (c *VocabPanels) Caption(panel string) string {
	cap := labview.VocabCaptions(panel, c.P)
	if c.Embed {
		return cap.Short
	}
	return cap.Full
}

// stats is "mean 0.0012 · sd 0.051", the report's log Z readouts.
func (c *VocabPanels) stats() string {
	s := ""
	for _, r := range c.R {
		if r.Key == "logz_mean" || r.Key == "logz_sd" {
			if s != "" {
				s += " · "
			}
			s += map[bool]string{true: "mean ", false: "sd "}[r.Key == "logz_mean"] + r.Text
		}
	}
	return s
}

// probeState says how far the timing has come.
func (c *VocabPanels) probeState() string {
	if c.P.ProbeDone {
		return "measured in this page's worker"
	}
	if len(c.P.Probe) == 0 {
		return "timed after the NCE runs"
	}
	return "measuring… V ≤ " + strconv.Itoa(c.P.Probe[len(c.P.Probe)-1].V)
}
