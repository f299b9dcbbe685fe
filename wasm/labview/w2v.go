package labview

import (
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	"nceplay/chart"
	"nceplay/core/lab"
	"nceplay/core/lab/w2v"
	"nceplay/core/objective"
	"nceplay/wasm/view"
	"nceplay/wasm/wire"
)

// The word2vec lab's page (docs/spec.md#lab-w2v): the learned products
// beside the optimum they converge to, pair by pair, the
// self-normalization of NCE proper, and the words.

func init() {
	var snippets []Snippet
	for _, c := range w2v.Corpora {
		if c.Text != "" {
			snippets = append(snippets, Snippet{Name: c.Name, Title: c.Title, Text: c.Text})
		}
	}
	Pages[w2v.Name] = &Page{
		Readouts: []ReadoutDef{
			{Key: "loss", Label: "loss", Title: "The running mean pair loss (1 + k logistic terms), in nats"},
			{Key: "pmi_r", Label: "r", Title: "Correlation of the learned ⟨u_w, v_c⟩ with the optimum, over the pairs seen at least 20 times in an epoch"},
			{Key: "pmi_rmse", Label: "RMSE", Title: "Root-mean-square difference of the learned ⟨u_w, v_c⟩ from the optimum, over the same pairs"},
			{Key: "pmi_offset", Label: "offset", Title: "Mean of ⟨u_w, v_c⟩ − PMI(w, c): about −log k for obj=neg with α = 1"},
			{Key: "selfnorm_mean", Label: "log Σ exp", Title: "Mean over the frequent words of log Σ_c exp⟨u_w, v_c⟩: about 0 for obj=nce (self-normalized)"},
		},
		NeedsText: func(s lab.Settings) bool { return s.Value("corpus") == w2v.Pasted.Name },
		Snippets:  snippets,
	}
}

// W2VScale is the colour scale of the two heatmaps: the optimum's finite
// values, from their 2nd percentile (a few rare pairs have a very negative
// optimum, which would wash out the rest) to their largest; the learned
// products beyond it take the end colours.
func W2VScale(p *wire.W2VPanels) (lo, hi float64) {
	var fin []float64
	for _, v := range p.Theory {
		if f := float64(v); !math.IsInf(f, 0) && !math.IsNaN(f) {
			fin = append(fin, f)
		}
	}
	if len(fin) == 0 {
		return -1, 1
	}
	slices.Sort(fin)
	lo, hi = fin[len(fin)*2/100], fin[len(fin)-1]
	if !(hi-lo > 0.1) {
		lo, hi = lo-0.5, hi+0.5
	}
	return lo, hi
}

// W2VHeats returns the heatmaps of the learned ⟨u_w, v_c⟩ and of the
// optimum, on one colour scale, and its colour bar.
func W2VHeats(p *wire.W2VPanels) (learned, theory, bar Chart) {
	lo, hi := W2VScale(p)
	n := p.N
	mk := func(id, title string, vals []float32) Chart {
		g := squareGeom
		sx := view.Scale{D0: 0, D1: float64(n), R0: g.L, R1: g.W - g.R}
		sy := view.Scale{D0: 0, D1: float64(n), R0: g.T, R1: g.H - g.B}
		c := newChart(id, g, sx, sy, 4, 4)
		c.Title, c.ShowTitle, c.Pixelated = title, true, true
		if len(vals) == n*n && n > 0 {
			c.W, c.H = n, n
			c.Pix = make([]byte, 4*n*n)
			PaintMatrix(c.Pix, vals, n, lo, hi, W2VColours)
		}
		return c
	}
	return mk("nce-cv-w2v-learned", "learned ⟨u, v⟩", p.Learned), mk("nce-cv-w2v-theory", W2VTheoryName(p), p.Theory),
		ColourBar("nce-cv-w2v-bar", lo, hi, W2VColours)
}

// W2VColours is the heatmaps' colour map (viridis: dark low, yellow high).
var W2VColours chart.ColorMap = chart.Viridis

// W2VTheoryName names the optimum for the objective.
func W2VTheoryName(p *wire.W2VPanels) string {
	if p.Obj == objective.NCE.Name {
		return "optimum log p(c|w)"
	}
	return "optimum PMI − log k"
}

// W2VScatter is every pair (w, c) of the payload's words with a finite
// optimum: the learned product against the optimum, on one scale, with
// the identity line; painted rarest first, coloured by the pair's count on
// a log scale (viridis: dark rare, yellow frequent). It paints into buf
// when buf has the image's size (the last chart's pixels, once painted).
func W2VScatter(p *wire.W2VPanels, buf []byte) Chart {
	n := p.N
	g := squareGeom
	var idx []int
	lo, hi := math.Inf(1), math.Inf(-1)
	maxCount := 1.0
	if len(p.Learned) == n*n && len(p.Theory) == n*n && len(p.Pairs) == n*n {
		for i, th := range p.Theory {
			t := float64(th)
			if math.IsInf(t, 0) || math.IsNaN(t) || p.Pairs[i] <= 0 {
				continue
			}
			idx = append(idx, i)
			lo, hi = min(lo, t), max(hi, t)
			maxCount = max(maxCount, float64(p.Pairs[i]))
		}
	}
	if len(idx) == 0 {
		lo, hi = -1, 1
	}
	// The learned products, where they stray, within reach.
	tlo, thi := lo, hi
	for _, i := range idx {
		l := float64(p.Learned[i])
		lo, hi = max(min(lo, l), tlo-2), min(max(hi, l), thi+2)
	}
	pad := 0.05 * (hi - lo)
	lo, hi = lo-pad, hi+pad
	sx, sy := g.X(lo, hi), g.Y(lo, hi)
	c := newChart("nce-cv-w2v-scatter", g, sx, sy, 5, 5)
	c.Title = "learned against optimum"
	c.XLabel, c.YLabel = "optimum", "learned ⟨u, v⟩"
	c.W, c.H = view.ScatterSize, view.ScatterSize
	if len(buf) == 4*c.W*c.H {
		clear(buf)
		c.Pix = buf
	} else {
		c.Pix = make([]byte, 4*c.W*c.H)
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case p.Pairs[a] < p.Pairs[b]:
			return -1
		case p.Pairs[a] > p.Pairs[b]:
			return 1
		}
		return 0
	})
	logMax := math.Log(maxCount)
	for _, i := range idx {
		t := 0.0
		if logMax > 0 {
			t = math.Log(float64(p.Pairs[i])) / logMax
		}
		x := (float64(p.Theory[i]) - lo) / (hi - lo) * float64(c.W)
		y := (1 - (float64(p.Learned[i])-lo)/(hi-lo)) * float64(c.H)
		paintDot(c.Pix, c.W, c.H, int(x), int(y), 3, chart.Viridis(0.1+0.9*t))
	}
	c.Lines = []view.Line{{D: view.Path([]float64{lo, hi}, []float64{lo, hi}, sx, sy), Class: "identity", Label: "learned = optimum"}}
	return c
}

// W2VSelfNorm plots, per word (by rank), Σ_c exp⟨u_w, v_c⟩ over the whole
// vocabulary on a log scale, with the line at 1 that NCE proper's
// self-normalization reaches.
func W2VSelfNorm(p *wire.W2VPanels) Chart {
	g := defaultGeom
	n := len(p.LogZ)
	ys := make([]float64, n)
	lo, hi := 0.5, 2.0
	for i, z := range p.LogZ {
		ys[i] = math.Exp(float64(z))
		if !math.IsInf(ys[i], 0) && !math.IsNaN(ys[i]) && ys[i] > 0 {
			lo, hi = min(lo, ys[i]), max(hi, ys[i])
		}
	}
	lo, hi = lo/1.3, hi*1.3
	sx := g.X(-0.5, float64(max(n, 1))-0.5)
	sy := view.Scale{D0: lo, D1: hi, R0: g.H - g.B, R1: g.T, Log: true}
	c := newChart("nce-w2v-selfnorm", g, sx, sy, 5, 4)
	c.XLabel, c.YLabel = "word (by rank)", "Σ_c exp⟨u_w, v_c⟩"
	c.Lines = []view.Line{{D: view.Path([]float64{-0.5, float64(n) - 0.5}, []float64{1, 1}, sx, sy), Class: "identity", Label: "1: self-normalized"}}
	for i, y := range ys {
		if !(y > 0) || math.IsInf(y, 0) {
			continue
		}
		w := ""
		if i < len(p.Words) {
			w = p.Words[i]
		}
		c.Dots = append(c.Dots, Dot{X: sx.At(float64(i)), Y: sy.At(y), R: 2.5, Class: "norm", Item: -1,
			Title: w + ": " + chart.Num(y)})
	}
	return c
}

// W2VLabelled is how many of the projection's words carry a label (the
// most frequent, or a generator's first), beside the focused word and
// its neighbours.
const W2VLabelled = 30

// W2VWords is the 2D projection of the word vectors (their first two
// principal components): a marker per word, which focuses it when
// clicked, and labels.
func W2VWords(p *wire.W2VPanels) Chart {
	g := view.Geom{W: 320, H: 260, L: 10, R: 10, T: 10, B: 10}
	n := min(len(p.Words), len(p.XY)/2)
	x0, x1, y0, y1 := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for i := range n {
		x, y := float64(p.XY[2*i]), float64(p.XY[2*i+1])
		x0, x1, y0, y1 = min(x0, x), max(x1, x), min(y0, y), max(y1, y)
	}
	if !(x1 > x0) {
		x0, x1 = -1, 1
	}
	if !(y1 > y0) {
		y0, y1 = -1, 1
	}
	px, py := 0.06*(x1-x0), 0.06*(y1-y0)
	sx, sy := g.X(x0-px, x1+px), g.Y(y0-py, y1+py)
	c := Chart{Heat: view.Heat{ID: "nce-w2v-words", Geo: g, Title: "word vectors, first two principal components"}}
	near := map[string]bool{}
	for _, nb := range p.Neighbours {
		near[nb.Word] = true
	}
	var boxes []labelBox
	label := func(i int, x, y float64, cls string) {
		b := labelBox{x + 5, y - 6, x + 5 + labelWidth(p.Words[i]), y + 3}
		for _, o := range boxes {
			if b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1 {
				return // it would overlap a label placed before
			}
		}
		boxes = append(boxes, b)
		c.Labels = append(c.Labels, Label{X: x + 5, Y: y + 3, Text: p.Words[i], Class: cls, Item: i})
	}
	pos := make([][2]float64, n)
	cls := make([]string, n)
	for i := range n {
		pos[i] = [2]float64{sx.At(float64(p.XY[2*i])), sy.At(float64(p.XY[2*i+1]))}
		cls[i] = "word"
		switch {
		case i == p.Focus:
			cls[i] = "word focus"
		case near[p.Words[i]]:
			cls[i] = "word near"
		}
		c.Dots = append(c.Dots, Dot{X: pos[i][0], Y: pos[i][1], R: 3.5, Class: cls[i], Item: i, Title: p.Words[i]})
	}
	// Labels, without overlaps: the focused word first, then its
	// neighbours, then the others by rank, up to W2VLabelled of those.
	if p.Focus >= 0 && p.Focus < n {
		label(p.Focus, pos[p.Focus][0], pos[p.Focus][1], cls[p.Focus])
	}
	for i := range n {
		if i != p.Focus && near[p.Words[i]] {
			label(i, pos[i][0], pos[i][1], cls[i])
		}
	}
	for i := range min(n, W2VLabelled) {
		if i != p.Focus && !near[p.Words[i]] {
			label(i, pos[i][0], pos[i][1], cls[i])
		}
	}
	return c
}

// labelBox is a label's extent in pixels.
type labelBox struct{ x0, y0, x1, y1 float64 }

// labelWidth estimates a word label's width in the map's pixels (9 px
// type).
func labelWidth(w string) float64 { return 5.2 * float64(utf8.RuneCountInString(w)) }

// W2VNeighbours lists the focused word's nearest words: "word 0.93".
func W2VNeighbours(p *wire.W2VPanels) (focus string, items []string) {
	if p.Focus < 0 || p.Focus >= len(p.Words) {
		return "", nil
	}
	for _, nb := range p.Neighbours {
		items = append(items, nb.Word+" "+strconv.FormatFloat(nb.Cos, 'f', 3, 64))
	}
	return p.Words[p.Focus], items
}

// W2VShowSelfNorm reports whether the self-normalization panel is shown:
// for NCE proper, whose optimum is self-normalized.
func W2VShowSelfNorm(p *wire.W2VPanels) bool { return p.Obj == objective.NCE.Name }

// W2VMerge returns the payload next with the static parts of last (the
// same run's) when next leaves them out.
func W2VMerge(last, next *wire.W2VPanels) *wire.W2VPanels {
	if next == nil {
		return last
	}
	if !next.Static && last != nil {
		next.Words, next.Counts, next.Theory, next.Pairs = last.Words, last.Counts, last.Theory, last.Pairs
	}
	return next
}

// W2VCaptions are the word2vec panels' captions: a sentence or two for the
// full page, one line for embeds (rich text: citations link to the docs).
func W2VCaptions(panel string, p *wire.W2VPanels) view.Caption {
	n := strconv.Itoa(p.N)
	theory := "the text's pair counts"
	if p.Exact {
		theory = "the generator's exact pair distribution"
	}
	switch panel {
	case W2VPanelHeat:
		opt := "PMI(w, c) − log k with the unigram noise (α = 1), plus log(p(c)/q_α(c)) for the smoothed noise q_α ∝ p^α"
		if p.Obj == objective.NCE.Name {
			opt = "log p(c|w), since NCE proper puts −log(k·q(c)) in its logit"
		}
		return view.Caption{
			Full: "The learned ⟨u_w, v_c⟩ beside the optimum it converges to, " + opt + " ([word2vec as NCE](docs/math.md#word2vec)), from " + theory +
				". Rows are centre words w, columns contexts c: the first " + n + " words of the vocabulary. One colour scale (the bar: dark low, yellow high); blank cells are pairs that never occur (−∞).",
			Short: "Learned ⟨u, v⟩ beside its optimum ([why](docs/math.md#word2vec)).",
		}
	case W2VPanelScatter:
		return view.Caption{
			Full:  "Every pair of the first " + n + " words: the learned product against the optimum, coloured by how often the pair occurs (dark: rare, yellow: frequent). Trained, the points lie on the identity line; r and RMSE are taken over the pairs seen at least 20 times ([the check](docs/spec.md#lab-w2v)).",
			Short: "Learned against optimum, pair by pair: on the line when trained.",
		}
	case W2VPanelSelfNorm:
		return view.Caption{
			Full:  "Σ_c exp⟨u_w, v_c⟩ per word, over the whole vocabulary, on a log scale. NCE proper learns log p(c|w) itself, so each sum tends to 1 without ever being computed ([self-normalization](docs/math.md#self-normalization)); it starts at V, with every product 0.",
			Short: "Σ_c exp⟨u, v⟩ per word → 1 ([self-normalization](docs/math.md#self-normalization)).",
		}
	case W2VPanelWords:
		return view.Caption{
			Full:  "The word vectors u_w on their first two principal components (a deterministic projection); click a word, or pick one, for its nearest words by the cosine of their vectors.",
			Short: "Word vectors in 2D; nearest words of the chosen one.",
		}
	}
	return view.Caption{}
}

// The word2vec page's panels.
const (
	W2VPanelHeat     = "w2v-heat"
	W2VPanelScatter  = "w2v-scatter"
	W2VPanelSelfNorm = "w2v-selfnorm"
	W2VPanelWords    = "w2v-words"
)
