package view

import "nceplay/core/spec"

// A Caption is what a panel says under its plot: a sentence or two for
// the full page, and one line for embeds that ask for captions
// (captions=1). Both are rich text (Rich): their citations link to
// docs/math.md.
type Caption struct {
	Full, Short string
}

// Captions returns a panel's caption for an experiment of dimension dim
// (each dimension has its own: the 2D panels draw other things); data
// says the experiment runs on the user's own data (a data target), which
// has no true density to draw or compare with.
func Captions(panel string, dim int, data bool) Caption {
	if data {
		if c, ok := dataCaptions(panel, dim == 2); ok {
			return c
		}
	}
	two := dim == 2
	switch panel {
	case spec.PanelSamples:
		if two {
			return Caption{
				Full:  "Data (blue) drawn from p̃ and noise (orange) drawn from the fitted U ([choosing the noise](docs/math.md#noise)), with contours of U (for a Gaussian U, its 1, 2 and 3 standard deviations): the classifier's two classes, 1 data point to k noise points.",
				Short: "Data from p̃ (blue), noise from U (orange), contours of U.",
			}
		}
		return Caption{
			Full:  "The data's histogram and the true density p̃, beside k·U, the noise density weighted as the classifier sees it ([E1](docs/math.md#e1)); ticks below show samples of data (blue) and noise (orange). When k·U towers over the data the axis turns logarithmic: the gap between the curves is then the log-odds.",
			Short: "Data histogram and p̃ against k·U, the weighted noise ([E1](docs/math.md#e1)).",
		}
	case spec.PanelClassifier:
		if two {
			return Caption{
				Full:  "P(1|x), the chance that x is data rather than noise, coloured by its log-odds (white at ½, blue towards data, orange towards noise; the bar reads in P). Solid: the learned boundary P = ½; dashed: the Bayes boundary p̃ = kU ([E1](docs/math.md#e1)).",
				Short: "Learned P(1|x) and the boundaries P = ½, learned and Bayes ([E1](docs/math.md#e1)).",
			}
		}
		return Caption{
			Full:  "P(1|x): the chance that x is data rather than noise. Learned (solid) against the Bayes posterior p̃/(p̃ + kU) ([E1](docs/math.md#e1), dashed); the boundary P = ½ lies where p̃ = kU.",
			Short: "Learned P(1|x) against the Bayes posterior ([E1](docs/math.md#e1)).",
		}
	case spec.PanelDensity:
		if two {
			return Caption{
				Full:  "The density read back from the model ([how, per objective](docs/math.md#metrics)), not renormalized, in colour; the dashed contours are the true p̃ at the levels marked on the bar, and values above the bar's top show in pink. A learned normalizer makes them meet ([why c is log Z](docs/math.md#why-c-is-log-z)).",
				Short: "Recovered p̂ (colour) against the true p̃ (contours) ([read-back](docs/math.md#metrics)).",
			}
		}
		return Caption{
			Full:  "The density read back from the model ([how, per objective](docs/math.md#metrics)), not renormalized, beside the truth: a learned normalizer makes them meet ([why c is log Z](docs/math.md#why-c-is-log-z)).",
			Short: "Recovered p̂ against the true p̃ ([read-back](docs/math.md#metrics)).",
		}
	case spec.PanelCurves:
		return Caption{
			Full: "The run's measurements over steps, exact by quadrature ([what is measured](docs/math.md#metrics)). The held-out loss falls towards its floor, " +
				"the Bayes loss; the gap, the excess loss ([E9](docs/math.md#e9)), is 0 only when the density is recovered, even where the accuracies are equal. " +
				"Where c is no estimate of log Z, the read-back's log mass takes its place (0: normalized). Point at any plot to read its values.",
			Short: "Loss against its floor, c or the log mass, KL and excess loss, accuracy.",
		}
	}
	return Caption{}
}

// noTruth cites what replaces the metrics a true density would give.
const noTruth = "([without a true density](docs/math.md#no-truth))"

// dataCaptions are the captions of an experiment on the user's own data:
// no p̃, no Bayes posterior, no KL (docs/math.md#no-truth).
func dataCaptions(panel string, two bool) (Caption, bool) {
	switch panel {
	case spec.PanelSamples:
		if two {
			return Caption{
				Full:  "Your data (blue: the four fifths the model trains on) and noise (orange) drawn from U fitted to them ([choosing the noise](docs/math.md#noise)), with contours of U: the classifier's two classes, 1 data point to k noise points. There is no true density here " + noTruth + ".",
				Short: "Your data (blue), noise from the fitted U (orange), contours of U.",
			}, true
		}
		return Caption{
			Full:  "Your data's histogram (the four fifths the model trains on) beside k·U, the noise density weighted as the classifier sees it ([E1](docs/math.md#e1)); ticks below show samples of data (blue) and noise (orange). There is no true density to draw " + noTruth + ".",
			Short: "Your data's histogram against k·U, the weighted noise ([E1](docs/math.md#e1)).",
		}, true
	case spec.PanelClassifier:
		if two {
			return Caption{
				Full:  "P(1|x), the chance that x is data rather than noise, coloured by its log-odds (white at ½, blue towards data, orange towards noise; the bar reads in P); solid: the learned boundary P = ½. Without a true density there is no Bayes boundary to compare it with " + noTruth + ".",
				Short: "Learned P(1|x) and its boundary P = ½ (no Bayes boundary: your data).",
			}, true
		}
		return Caption{
			Full:  "P(1|x): the chance that x is data rather than noise, as learned ([E1](docs/math.md#e1)). Without a true density there is no Bayes posterior to compare it with " + noTruth + ".",
			Short: "Learned P(1|x) (no Bayes posterior: your data).",
		}, true
	case spec.PanelDensity:
		return Caption{
			Full:  "The density read back from the model ([how, per objective](docs/math.md#metrics)), not renormalized. Without a true density its quality is the held-out log-likelihood of the fifth of your data it never saw, and c is compared with the model's own log Z " + noTruth + ".",
			Short: "Recovered p̂; judged by the held-out log-likelihood " + noTruth + ".",
		}, true
	case spec.PanelCurves:
		return Caption{
			Full:  "The run's measurements over steps ([what is measured](docs/math.md#metrics)). On your own data there is no Bayes floor, KL or Bayes accuracy: the held-out loss is measured on the held-out fifth, and c against the model's own log Z " + noTruth + ". Point at any plot to read its values.",
			Short: "Loss, c against the model's log Z, accuracy on held-out data.",
		}, true
	}
	return Caption{}, false
}
