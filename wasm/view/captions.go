package view

import "nceplay/core/spec"

// A Caption is what a panel says under its plot: a sentence or two for
// the full page, and one line for embeds that ask for captions. Both are
// rich text (Rich): their citations link to docs/math.md.
type Caption struct {
	Full, Short string
}

// Captions returns a panel's caption for an experiment of dimension dim.
func Captions(panel string, dim int) Caption {
	switch panel {
	case spec.PanelSamples:
		if dim == 2 {
			return Caption{
				Full:  "Data (blue) drawn from p̃ and noise (orange) drawn from the fitted U ([choosing the noise](docs/math.md#noise)): the classifier's two classes, 1 data point to k noise points.",
				Short: "Data from p̃ (blue) and noise from U (orange).",
			}
		}
		return Caption{
			Full:  "The data's histogram and the true density p̃, beside k·U, the noise density weighted as the classifier sees it ([E1](docs/math.md#e1)); ticks below show samples of data (blue) and noise (orange).",
			Short: "Data histogram, p̃ and k·U.",
		}
	case spec.PanelClassifier:
		return Caption{
			Full:  "P(1|x): the chance that x is data rather than noise. Learned (solid) against the Bayes posterior p̃/(p̃ + kU) ([E1](docs/math.md#e1), dashed); the boundary P = ½ lies where p̃ = kU.",
			Short: "Learned P(1|x) against the Bayes posterior ([E1](docs/math.md#e1)).",
		}
	case spec.PanelDensity:
		return Caption{
			Full:  "The density read back from the model ([how, per objective](docs/math.md#metrics)), not renormalized, beside the truth: a learned normalizer makes them meet ([why c is log Z](docs/math.md#why-c-is-log-z)).",
			Short: "Recovered p̂ against the true p̃ ([read-back](docs/math.md#metrics)).",
		}
	case spec.PanelCurves:
		return Caption{
			Full:  "The run's measurements over steps, exact by quadrature ([what is measured](docs/math.md#metrics)).",
			Short: "Loss, c against log Z, KL and accuracy over steps.",
		}
	}
	return Caption{}
}
