//go:build !labpage

package spec

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// The tours' texts and their parser (docs/spec.md#tours). The labs'
// page's build (-tags labpage) leaves them out (tours_labpage.go): it
// never reads a tour key, and lab.wasm is at its budget.

// tourTexts are the built-in tours' steps, by name (Tours).
var tourTexts = map[string]string{
	TourIntro: `
density | target=quartic&model=poly&obj=nce&k=1&noise=gauss&nscale=1&nshift=0 | An energy G(x) becomes a density only after dividing exp G by its integral Z, the [partition function](docs/math.md#partition-function). Here p̃ ∝ exp(−x² − x⁴): its Z has no closed form. Press Play.
samples | | NCE never integrates: it trains a classifier to tell the data from noise drawn from a density U that it can evaluate, with the logit G(x) − c − log kU(x) ([E3](docs/math.md#e3)).
curves | | The normalizer c is learned like any other parameter. The classifier is best when the model is the data's density, normalized, so c is pushed towards log Z ([why c is log Z](docs/math.md#why-c-is-log-z)).
density | | Compare c with the model's log Z by quadrature in the readouts: both near 0.3137, the true log Z, and the recovered p̂ lies on p̃ ([the metrics](docs/math.md#metrics)).
classifier | obj=cls | The classifier form learns σ(G − γ), a ratio of the data to k·U: the density comes back only after multiplying by k·U(x) ([E5](docs/math.md#e5)).
classifier | obj=nce&k=10 | Ten noise points per data point: now k·U > p̃ everywhere, so the classifier never says data, yet the estimate tightens ([E8](docs/math.md#e8)).
density | k=1&nscale=0.1 | The noise must cover the data: ten times narrower, it leaves the data's outer points unopposed, and the density goes wrong there ([choosing the noise](docs/math.md#noise)).
`,
	TourCover: `
samples | target=quartic&model=poly&obj=nce&k=1&noise=gauss&nscale=1&nshift=0 | The noise is fitted to the data: a Gaussian with their mean and spread, so wherever there are data there is noise. Press Play ([choosing the noise](docs/math.md#noise)).
density | nscale=0.1 | Ten times narrower: the data's outer points meet no noise, nothing tells the model what to do there, and its mass runs off ([not normalizable](docs/math.md#not-normalizable)).
density | nscale=1&target=laplace | Laplace data against Gaussian noise: far out the data meet no noise, and the fit ends with a positive x⁴ term while c looks fine ([light tails](docs/math.md#light-tails)).
density | noise=laplace | Noise with the data's own tails: the fit is normalizable again and KL falls ([light tails](docs/math.md#light-tails)).
`,
	TourRatio: `
classifier | target=quartic&model=poly&obj=nce&k=1&noise=gauss&nscale=1&nshift=0 | One noise point per data point: the Bayes classifier says data where p̃ > U and noise elsewhere ([NCE](docs/math.md#nce)). Press Play.
classifier | k=10 | Ten noise points per data point: k·U > p̃ everywhere, so the classifier never says data and both accuracies are 10/11 for any fit; the excess loss still tells a good fit from a bad one ([E9](docs/math.md#e9)).
curves | k=100 | A hundred: the estimator's variance approaches maximum likelihood's, at a hundred times the noise points a step ([E8](docs/math.md#e8)).
`,
}

// ParseTour reads a tour in the text format. It never panics; an error
// is a *TourError naming the first bad line.
func ParseTour(text string) ([]TourStep, error) {
	if len(text) > MaxTourBytes {
		return nil, &TourError{Reason: fmt.Sprintf("is too long (%d bytes; at most %d)", len(text), MaxTourBytes)}
	}
	if !utf8.ValidString(text) {
		return nil, &TourError{Reason: "is not UTF-8 text"}
	}
	var steps []TourStep
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		bad := func(format string, a ...any) error {
			return &TourError{Line: i + 1, Reason: fmt.Sprintf(format, a...)}
		}
		f := strings.SplitN(line, "|", 3)
		if len(f) < 3 {
			return nil, bad("has %d field(s); a step is: panel | key=value&… | text", len(f))
		}
		st := TourStep{Panel: strings.TrimSpace(f[0]), Change: strings.TrimSpace(f[1]), Text: strings.TrimSpace(f[2])}
		if !slices.ContainsFunc(Panels, func(p Panel) bool { return p.ID == st.Panel }) {
			return nil, bad("panel %q is not one of %s", sanitize(st.Panel), strings.Join(panelIDs(), ", "))
		}
		if err := checkChange(st.Change); err != nil {
			return nil, bad("%s", err)
		}
		switch {
		case st.Text == "":
			return nil, bad("has no text")
		case len(st.Text) > MaxStepText:
			return nil, bad("has a text of %d bytes; at most %d", len(st.Text), MaxStepText)
		}
		if len(steps) == MaxTourSteps {
			return nil, bad("is one step too many (at most %d)", MaxTourSteps)
		}
		steps = append(steps, st)
	}
	if len(steps) == 0 {
		return nil, &TourError{Reason: "has no steps; a step is: panel | key=value&… | text"}
	}
	return steps, nil
}

// checkChange checks a step's change: experiment keys only, each valid
// and the whole a valid experiment over the defaults.
func checkChange(change string) error {
	for _, pair := range strings.Split(change, "&") {
		name, _, _ := strings.Cut(pair, "=")
		if k := Lookup(name); k != nil && k.View {
			return fmt.Errorf("key %s is view-only; a step changes the experiment's keys", name)
		}
	}
	if _, err := Playground.Apply(Default(), change); err != nil {
		// The first problem, without the "spec: " of a link's errors.
		if es, ok := err.(Errors); ok && len(es) > 0 {
			return fmt.Errorf("%s", strings.TrimPrefix(es[0].Error(), "spec: "))
		}
		return err
	}
	return nil
}

func panelIDs() []string {
	ids := make([]string, len(Panels))
	for i, p := range Panels {
		ids[i] = p.ID
	}
	return ids
}

// DecodeTour reads the tour key's value: a built-in tour's name, or a
// tour's text in base64url (padding optional).
func DecodeTour(value string) ([]TourStep, error) {
	if t := LookupTour(value); t != nil {
		return ParseTour(t.Text())
	}
	text, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(value, "="))
	if err != nil {
		return nil, &TourError{Reason: "is neither a built-in tour (" + strings.Join(TourNames(), ", ") + ") nor a tour's text in base64url"}
	}
	return ParseTour(string(text))
}
