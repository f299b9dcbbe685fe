// Command nceplay is the playground's headless runner (docs/spec.md#runner): it trains one experiment and prints its metrics.
//
//	nceplay run [--json] '<query>'
//
// It exits 0 on success, 2 on a bad spec or bad usage, 1 on divergence. It
// builds for GOOS=js GOARCH=wasm too and then runs under Node.js with Go's
// wasm_exec_node.js, printing the same JSON (but for "ms").
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"nceplay/core/nce"
	"nceplay/core/spec"
)

const usage = `usage: nceplay run [--json] '<query>'

Trains the experiment described by the query string of docs/spec.md (for example
'target=ring&model=mlp&k=8') for its steps and prints the metrics of
docs/math.md#metrics; --json prints them as one JSON object.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process: it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "run" {
		fmt.Fprint(stderr, usage)
		return 2
	}
	args = args[1:]
	asJSON := false
	var query []string
	for _, a := range args {
		switch a {
		case "--json", "-json":
			asJSON = true
		case "-h", "--help":
			fmt.Fprint(stdout, usage)
			return 0
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
	s, err := spec.Parse(q)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	start := time.Now()
	tr, err := nce.New(s)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	// Newton's method may stop before its steps (converged, or data and
	// noise separable): Done says when training is over.
	const slice = 1000
	for !tr.Done() {
		tr.Step(min(slice, s.Steps-tr.StepCount()))
	}
	rep := nce.NewReport(tr, float64(time.Since(start).Microseconds())/1000)
	if asJSON {
		b, err := json.Marshal(rep)
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
	fmt.Fprintf(w, "accuracy        %s (Bayes %s)\n", f(r.Accuracy), f(r.BayesAccuracy))
	if r.Theta != nil {
		fmt.Fprintf(w, "theta           %.4f\n", r.Theta)
	}
	if r.ThetaTrue != nil {
		fmt.Fprintf(w, "theta_true      %.4f\n", r.ThetaTrue)
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
