// Command nceplay is the playground's headless runner (docs/spec.md#runner): it trains one experiment and prints its metrics.
//
//	nceplay run [--json] '<query>'
//	nceplay run [--json] [--text FILE] [--vectors FILE] [--corpus FILE] 'lab=w2v&…'
//	nceplay run [--json] 'lab=vocab&…'
//	nceplay sweep [--json] [--workers=N] [--part=I/N] '<query>'
//	nceplay code [--numpy] '<query>'
//	nceplay gif [--panels …] [--frames N] [--width W] [--height H] [--delay D] [--theme T] [--data FILE.csv] '<query>' > run.gif
//	nceplay run [--json] --data FILE.csv 'target=data2d&…'
//	nceplay encode FILE.csv ['<query>']
//
// A data target (target=data or data2d, docs/spec.md#data) trains on the
// user's points: those of the query's data key, or with --data FILE those
// of a CSV file (docs/spec.md#data-file), which the query's datafile key
// names (added when absent). The encode command prints the query that
// carries a file's points: in the link (the data key) when they fit, else
// naming the file (datafile).
//
// A query with a lab key runs that lab (core/lab; docs/spec.md#labs):
// --text FILE trains the w2v lab on the file's text (corpus=text),
// --vectors FILE writes its word vectors in word2vec's text format, and
// --corpus FILE writes the corpus it trains on as text (for gensim, say);
// lab=vocab trains the run and its full-softmax reference on the same
// data and reports both (docs/spec.md#lab-vocab). It
// exits 0 on success, 2 on a bad spec or bad usage, 1 on divergence. It
// builds for GOOS=js GOARCH=wasm too and then runs under Node.js with
// Go's wasm_exec_node.js, printing the same JSON (but for the timings).
//
// The sweep command runs the sweep lab (lab=sweep, docs/spec.md#lab-sweep)
// on N goroutines (default: every core) and prints its rows, as run
// 'lab=sweep&…' does; --part=I/N runs only the repetitions ≡ I (mod N), as
// browser worker I of N would (for timing two wasm workers).
//
// The code command prints the experiment as a PyTorch script (package
// codegen, docs/spec.md#code), --numpy as a NumPy one (poly models only);
// it trains nothing, and exits 2 on a bad spec or one it cannot export.
//
// The gif command trains the experiment and writes it as an animated GIF
// of the chosen panels (package gifexport, docs/spec.md#gif): exit 2 on a
// bad spec or options, 1 on divergence (the GIF is still written).
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"nceplay/codegen"
	"nceplay/core/dataset"
	"nceplay/core/density"
	"nceplay/core/lab"
	"nceplay/core/lab/sweep"
	"nceplay/core/nce"
	"nceplay/core/spec"
)

const usage = `usage: nceplay run [--json] [--text FILE] [--vectors FILE] [--corpus FILE] '<query>'
       nceplay sweep [--json] [--workers=N] [--part=I/N] '<query>'
       nceplay code [--numpy] '<query>'
       nceplay gif [--panels density,curves] [--frames N] [--width W] [--data FILE.csv] '<query>' > run.gif
       nceplay encode FILE.csv ['<query>']

Trains the experiment described by the query string of docs/spec.md (for example
'target=ring&model=mlp&k=8') for its steps and prints the metrics of
docs/math.md#metrics; --json prints them as one JSON object.

A query with a lab key runs that lab (docs/spec.md#labs), e.g. 'lab=w2v&k=10' or
'lab=vocab&vocab=5000' (NCE and its full-softmax reference on the same data):
  --text FILE      train on the text of FILE (lab=w2v: corpus=text)
  --vectors FILE   write the learned word vectors to FILE in word2vec's text format
  --corpus FILE    write the corpus the lab trains on to FILE as text, 10^4 words a line

Your own data (target=data or data2d, docs/spec.md#data):
  --data FILE      train on the points of the CSV file FILE (one point a line,
                   1 or 2 columns, # comments, an optional header; at most
                   20000 points and 1 MiB); the query's datafile key names it
encode prints the query for a CSV file's points: with the data key when the link
stays under 8 KB, else with datafile (then run it with --data FILE).

code prints the experiment as a short PyTorch script that samples its own data
and prints the same metrics as one JSON line (docs/spec.md#code); --numpy
prints it with NumPy alone (poly models only).

gif writes the run as an animated GIF of its panels to stdout ('nceplay gif -h').
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// options are the runner's flags.
type options struct {
	json                  bool
	text, vectors, corpus string
	data                  string // --data: a data file
}

// run is main without the process: it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "sweep" {
		return runSweep(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "code" {
		return runCode(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "gif" {
		return runGif(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "encode" {
		return runData(args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "run" {
		fmt.Fprint(stderr, usage)
		return 2
	}
	args = args[1:]
	var opt options
	var query []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, hasValue := strings.Cut(a, "=")
		switch name {
		case "--json", "-json":
			opt.json = true
		case "-h", "--help":
			fmt.Fprint(stdout, usage)
			return 0
		case "--text", "-text", "--vectors", "-vectors", "--corpus", "-corpus", "--data", "-data":
			if !hasValue {
				if i+1 == len(args) {
					fmt.Fprintf(stderr, "nceplay: %s needs a file name\n%s", name, usage)
					return 2
				}
				i++
				value = args[i]
			}
			switch name {
			case "--text", "-text":
				opt.text = value
			case "--vectors", "-vectors":
				opt.vectors = value
			case "--data", "-data":
				opt.data = value
			default:
				opt.corpus = value
			}
		default:
			query = append(query, a)
		}
	}
	if len(query) > 1 {
		fmt.Fprintf(stderr, "nceplay: give the query as one argument (quote it: the shell splits on '&')\n%s", usage)
		return 2
	}
	q := ""
	if len(query) == 1 {
		q = query[0]
	}
	l, err := lab.Select(q)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	if l != nil {
		if opt.data != "" {
			fmt.Fprintln(stderr, "nceplay: --data applies to the playground's data targets (target=data or data2d), not to a lab")
			return 2
		}
		return runLab(l, q, opt, stdout, stderr)
	}
	if opt.text != "" || opt.vectors != "" || opt.corpus != "" {
		fmt.Fprintln(stderr, "nceplay: --text, --vectors and --corpus apply to a lab that trains word vectors (lab=w2v), not to the playground")
		return 2
	}
	var pts []float64
	if opt.data != "" {
		var code int
		if pts, q, code = readDataFile(opt.data, q, stderr); code != 0 {
			return code
		}
	}
	s, err := spec.Parse(q)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	start := time.Now()
	tr, err := dataset.NewTrainer(s, pts)
	if err != nil {
		fmt.Fprintln(stderr, "nceplay:", err)
		return 2
	}
	// Newton's method may stop before its steps (converged, or data and
	// noise separable): Done says when training is over.
	const slice = 1000
	for !tr.Done() {
		tr.Step(min(slice, s.Steps-tr.StepCount()))
	}
	rep := nce.NewReport(tr, float64(time.Since(start).Microseconds())/1000)
	if opt.json {
		b, err := marshal(rep)
		if err != nil {
			fmt.Fprintln(stderr, "nceplay:", err)
			return 1
		}
		fmt.Fprintln(stdout, string(b))
	} else {
		printText(stdout, rep)
	}
	var div *nce.DivergedError
	if errors.As(tr.Err(), &div) {
		fmt.Fprintln(stderr, div)
		return 1
	}
	return 0
}

// runLab runs a lab's experiment: bad input exits 2 before anything is
// trained, a divergence 1 (with the report of the state reached).
func runLab(l *lab.Lab, q string, opt options, stdout, stderr io.Writer) int {
	var in lab.Input
	if opt.text != "" {
		if !l.Text {
			fmt.Fprintf(stderr, "nceplay: lab %s trains on no text (--text)\n", l.Name)
			return 2
		}
		// One byte beyond the lab's limit, so that a huge file is never read
		// whole and the lab still reports it as too long.
		f, err := os.Open(opt.text)
		var b []byte
		if err == nil {
			b, err = io.ReadAll(io.LimitReader(f, int64(l.MaxText)+1))
			f.Close()
		}
		if err != nil {
			fmt.Fprintln(stderr, "nceplay:", err)
			return 2
		}
		text := string(b)
		in.Text = &text
	}
	start := time.Now()
	r, err := l.New(q, in)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	var vectors *os.File
	if opt.vectors != "" {
		if _, ok := r.(lab.VectorWriter); !ok {
			fmt.Fprintf(stderr, "nceplay: lab %s has no word vectors to write (--vectors)\n", l.Name)
			return 2
		}
		if vectors, err = os.Create(opt.vectors); err != nil {
			fmt.Fprintln(stderr, "nceplay:", err)
			return 2
		}
		defer vectors.Close()
	}
	if opt.corpus != "" {
		cw, ok := r.(lab.CorpusWriter)
		if !ok {
			fmt.Fprintf(stderr, "nceplay: lab %s has no corpus to write (--corpus)\n", l.Name)
			return 2
		}
		f, err := os.Create(opt.corpus)
		if err == nil {
			err = cw.WriteCorpus(f)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintln(stderr, "nceplay:", err)
			return 2
		}
	}
	const slice = 10000
	var stepping time.Duration
	var diverged error
	for !r.Done() {
		t0 := time.Now()
		diverged = r.Step(slice)
		stepping += time.Since(t0)
		if diverged != nil {
			break
		}
	}
	rep := r.Report(stepping.Seconds(), float64(time.Since(start).Microseconds())/1000)
	b, err := marshal(rep)
	if err != nil {
		fmt.Fprintln(stderr, "nceplay:", err)
		return 1
	}
	if opt.json {
		fmt.Fprintln(stdout, string(b))
	} else {
		printFields(stdout, b)
	}
	if vectors != nil {
		if err := r.(lab.VectorWriter).WriteVectors(vectors); err != nil {
			fmt.Fprintln(stderr, "nceplay:", err)
			return 1
		}
		if err := vectors.Close(); err != nil {
			fmt.Fprintln(stderr, "nceplay:", err)
			return 1
		}
	}
	if diverged != nil {
		fmt.Fprintln(stderr, diverged)
		return 1
	}
	return 0
}

// printFields prints a JSON object's fields one per line, in order.
func printFields(w io.Writer, obj []byte) {
	d := json.NewDecoder(bytes.NewReader(obj))
	d.UseNumber()
	d.Token() // {
	for d.More() {
		key, _ := d.Token()
		var v any
		d.Decode(&v)
		text := fmt.Sprint(v)
		switch v := v.(type) {
		case nil:
			text = "—"
		case json.Number:
			if f, err := v.Float64(); err == nil && f != float64(int64(f)) {
				text = fmt.Sprintf("%.6g", f)
			}
		}
		fmt.Fprintf(w, "%-15s %s\n", key, text)
	}
}

func printText(w io.Writer, r nce.Report) {
	f := func(p *float64) string {
		if p == nil {
			return "—"
		}
		return fmt.Sprintf("%.6g", *p)
	}
	fmt.Fprintf(w, "spec            %s\n", orDefault(r.Spec))
	fmt.Fprintf(w, "steps           %d (%.0f ms)", r.Steps, r.MS)
	if r.Converged != nil {
		if *r.Converged {
			fmt.Fprint(w, ", converged")
		} else {
			fmt.Fprint(w, ", not converged")
		}
	}
	fmt.Fprintf(w, "\nnoise           %s\n", r.NoiseFit)
	fmt.Fprintf(w, "loss            %s (|grad| %s)\n", f(r.Loss), f(r.GradNorm))
	fmt.Fprintf(w, "heldout_loss    %s (Bayes %s", f(r.HeldOutLoss), f(r.BayesLoss))
	if r.HeldOutLoss != nil && r.BayesLoss != nil {
		fmt.Fprintf(w, ", excess %.3g", *r.HeldOutLoss-*r.BayesLoss)
		if r.ExcessSE != nil {
			fmt.Fprintf(w, " ± %.2g", *r.ExcessSE)
		}
	}
	fmt.Fprintf(w, ")\nc               %s", f(r.C))
	if r.CNote != "" {
		fmt.Fprintf(w, "   (%s)", r.CNote)
	}
	if r.Gamma != nil {
		fmt.Fprintf(w, "\ngamma           %s", f(r.Gamma))
	}
	fmt.Fprintf(w, "\nlogz            %s\n", f(r.LogZ))
	fmt.Fprintf(w, "mass            %s (log %s)\n", f(r.Mass), f(r.LogMass))
	fmt.Fprintf(w, "kl              %s\n", f(r.KL))
	if r.HeldOutN > 0 {
		fmt.Fprintf(w, "heldout_ll      %s (per point, %d held-out points)\n", f(r.HeldOutLL), r.HeldOutN)
	}
	fmt.Fprintf(w, "accuracy        %s (Bayes %s)\n", f(r.Accuracy), f(r.BayesAccuracy))
	if r.Theta != nil {
		fmt.Fprintf(w, "theta           %.4f\n", r.Theta)
	}
	if r.ThetaTrue != nil {
		fmt.Fprintf(w, "theta_true      %.4f\n", r.ThetaTrue)
	}
	if r.TruthNote != "" {
		fmt.Fprintf(w, "note            %s\n", r.TruthNote)
	}
	for _, wn := range r.Warnings {
		fmt.Fprintf(w, "\nwarning %s: %s\n  %s\n", wn.Code, wn.Title, wn.Message)
		if wn.Fix != "" {
			fmt.Fprintf(w, "  try: %s\n", wn.Fix)
		}
		fmt.Fprintf(w, "  see: %s\n", wn.Cite)
	}
}

func orDefault(q string) string {
	if q == "" {
		return "(defaults)"
	}
	return q
}

// runSweep is the sweep command: the sweep lab on N goroutines, or one
// browser worker's share of it (--part).
func runSweep(args []string, stdout, stderr io.Writer) int {
	asJSON, workers, part, parts := false, runtime.GOMAXPROCS(0), 0, 0
	var query []string
	for _, a := range args {
		name, value, _ := strings.Cut(a, "=")
		switch name {
		case "--json", "-json":
			asJSON = true
		case "-h", "--help":
			fmt.Fprint(stdout, usage)
			return 0
		case "--workers", "-workers":
			n, err := strconv.Atoi(value)
			if err != nil || n < 1 {
				fmt.Fprintf(stderr, "nceplay: %s: want a positive number of workers\n", a)
				return 2
			}
			workers = n
		case "--part", "-part":
			i, n, ok := strings.Cut(value, "/")
			pi, err1 := strconv.Atoi(i)
			pn, err2 := strconv.Atoi(n)
			if !ok || err1 != nil || err2 != nil || pn < 1 || pi < 0 || pi >= pn {
				fmt.Fprintf(stderr, "nceplay: %s: want --part=I/N with 0 ≤ I < N\n", a)
				return 2
			}
			part, parts = pi, pn
		default:
			query = append(query, a)
		}
	}
	if len(query) > 1 {
		fmt.Fprintf(stderr, "nceplay: give the query as one argument (quote it: the shell splits on '&')\n%s", usage)
		return 2
	}
	q := strings.Join(query, "")
	s, err := sweep.Parse(q)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	start := time.Now()
	sw, err := sweep.New(s)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	var res *sweep.Results
	if parts > 0 {
		res = sw.NewResults()
		w := sw.NewWorker(part, parts)
		for !w.Done() {
			w.Step(1e5)
			for _, r := range w.Results() {
				res.Add(r)
			}
		}
	} else {
		p := sw.NewParallel(workers)
		for !p.Done() {
			p.Step(1e5)
		}
		res = p.Results()
	}
	rep := sweep.NewReport(res, float64(time.Since(start).Microseconds())/1000)
	if asJSON {
		b, err := marshal(rep)
		if err != nil {
			fmt.Fprintln(stderr, "nceplay:", err)
			return 1
		}
		fmt.Fprintln(stdout, string(b))
		return 0
	}
	f := func(p *float64) string {
		if p == nil {
			return "—"
		}
		return fmt.Sprintf("%.4g", *p)
	}
	fmt.Fprintf(stdout, "spec  %s\nreps  %d (%.0f ms)\n", rep.Spec, rep.Reps, rep.MS)
	fmt.Fprintf(stdout, "%7s %-8s %6s %5s  %-21s %-10s  %-21s %-10s  %-16s %s\n", "n", "noise", "nscale", "k",
		"mse ± se", "theory", "mse_mle ± se", "theory", "ratio ± se", "fails")
	for _, r := range rep.Rows {
		fmt.Fprintf(stdout, "%7d %-8s %6g %5d  %-21s %-10s  %-21s %-10s  %-16s %d\n", r.N, r.Noise, r.NScale, r.K,
			f(r.MSE)+" ± "+f(r.MSESE), f(r.MSETheory), f(r.MSEMLE)+" ± "+f(r.MSEMLESE), f(r.MLETheory), f(r.Ratio)+" ± "+f(r.RatioSE), r.Fails)
	}
	return 0
}

// marshal is v as JSON on one line, with the spec's '&' as it is (not
// \u0026: a query copied from the output works as a link).
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSpace(buf.Bytes()), nil
}

// runCode is the code command: the experiment as a script, printed; bad
// input, or a spec the scripts cannot write, exits 2.
func runCode(args []string, stdout, stderr io.Writer) int {
	numpy := false
	var query []string
	for _, a := range args {
		switch a {
		case "--numpy", "-numpy":
			numpy = true
		case "-h", "--help":
			fmt.Fprint(stdout, usage)
			return 0
		default:
			if strings.HasPrefix(a, "-") {
				fmt.Fprintf(stderr, "nceplay: code: unknown flag %s\n%s", a, usage)
				return 2
			}
			query = append(query, a)
		}
	}
	if len(query) > 1 {
		fmt.Fprintf(stderr, "nceplay: give the query as one argument (quote it: the shell splits on '&')\n%s", usage)
		return 2
	}
	q := strings.Join(query, "")
	if l, err := lab.Select(q); err != nil || l != nil {
		if err == nil {
			err = fmt.Errorf("nceplay: code: lab=%s is not exported as a script; only the playground's experiments are", l.Name)
		}
		fmt.Fprintln(stderr, err)
		return 2
	}
	s, err := spec.Parse(q)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	gen := codegen.PyTorch
	if numpy {
		gen = codegen.NumPy
	}
	script, err := gen(s)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	fmt.Fprint(stdout, script)
	return 0
}

// readDataFile reads --data's CSV file for the query q, whose target must
// be a data target (target=data2d is assumed when q names no target and
// the file has two columns, data for one), and returns the points and q
// with the file's datafile key added when q has none. A bad file exits 2
// with its error, which names the line.
func readDataFile(name, q string, stderr io.Writer) ([]float64, string, int) {
	b, err := os.ReadFile(name)
	if err != nil {
		fmt.Fprintln(stderr, "nceplay:", err)
		return nil, "", 2
	}
	if len(b) > dataset.MaxFileBytes {
		fmt.Fprintf(stderr, "nceplay: %s: %d bytes, more than %d (1 MiB)\n", name, len(b), dataset.MaxFileBytes)
		return nil, "", 2
	}
	// The query's errors are reported once the file's key is in; here
	// only its target matters.
	vals, _ := url.ParseQuery(strings.TrimPrefix(q, "?"))
	dim := 0
	if tv := vals.Get("target"); tv != "" {
		t, ok := density.LookupTarget(tv)
		if !ok || !t.Data {
			fmt.Fprintf(stderr, "nceplay: --data needs a data target (target=%s or %s), not target=%s\n", density.DataTarget(1).Name, density.DataTarget(2).Name, tv)
			return nil, "", 2
		}
		dim = t.Dim
	}
	given := dim
	pts, dim, err := dataset.ParseCSV(b, dim)
	if err != nil {
		fmt.Fprintf(stderr, "nceplay: %s: %v\n", name, err)
		return nil, "", 2
	}
	if given == 0 {
		q = joinQuery(q, "target="+density.DataTarget(dim).Name)
	}
	if !vals.Has("datafile") {
		q = joinQuery(q, "datafile="+dataset.ID(pts, dim))
	}
	return pts, q, 0
}

// joinQuery appends a pair to a query.
func joinQuery(q, pair string) string {
	q = strings.TrimPrefix(q, "?")
	if q == "" {
		return pair
	}
	return q + "&" + pair
}

// runData is the encode command: the query that carries a CSV file's
// points, in the link when it stays under the caps, else naming the file.
func runData(args []string, stdout, stderr io.Writer) int {
	if len(args) < 1 || len(args) > 2 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	q := ""
	if len(args) == 2 {
		q = args[1]
	}
	pts, fq, code := readDataFile(args[0], q, stderr)
	if code != 0 {
		return code
	}
	s, err := spec.Parse(fq)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	v, err := dataset.Encode(pts, s.Dim())
	if err != nil {
		fmt.Fprintln(stderr, "nceplay:", err)
		return 2
	}
	inLink := s
	inLink.DataFile, inLink.Data = "", v
	if len(v) <= spec.MaxDataLen && len(inLink.Canonical()) <= spec.MaxQueryLen {
		fmt.Fprintln(stdout, inLink.Canonical())
		fmt.Fprintf(stderr, "nceplay: %d points in the link (%d characters; each coordinate within %g of the file's)\n",
			len(pts)/s.Dim(), len(v), density.DataStep(s.Dim())/2)
		return 0
	}
	fmt.Fprintln(stdout, s.Canonical())
	fmt.Fprintf(stderr, "nceplay: %d points take %d characters, more than a link holds (%d): the link names the file; run it with nceplay run --data %s\n",
		len(pts)/s.Dim(), len(v), spec.MaxDataLen, args[0])
	return 0
}
