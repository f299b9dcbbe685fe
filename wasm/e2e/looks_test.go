package e2e

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Screenshots for a look at the layout: a 360 px phone, the dark theme
// (full page) and the Explain panel of the classifier form.
func TestLooks(t *testing.T) {
	phone := newTab(t, 360, 740)
	phone.open("/?speed=4")
	phone.click("play")
	phone.waitFor(`+document.querySelector('[data-metric="step"]').textContent > 300`, 30*time.Second)
	if w := eval[int](phone, `document.documentElement.scrollWidth`); w > 360 {
		t.Errorf("the page is %d px wide on a 360 px phone", w)
	}
	phone.screenshot("phone")
	phone.noErrors()

	dark := newTab(t, 1280, 900)
	dark.open("/?theme=dark&obj=cls&speed=4")
	dark.click("play")
	dark.waitFor(`+document.querySelector('[data-metric="step"]').textContent > 600`, 30*time.Second)
	buf, err := chromedp.Run(dark.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(screenshotDir, 0o755)
	if err := os.WriteFile(filepath.Join(screenshotDir, "dark-full.png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
	// What the dark picture must show: a dark page, and every kind of text
	// and line readable on its panel (WCAG: 4.5:1 for text, 3:1 for lines).
	if bg := eval[float64](dark, contrastJS+`luminance(getComputedStyle(document.body).backgroundColor)`); bg > 0.05 {
		t.Errorf("theme=dark: the page's background has luminance %.3f, not dark", bg)
	}
	for _, c := range []struct {
		sel, prop string
		min       float64
	}{
		{".nce-ph h2", "color", 4.5},
		{".nce-cap", "color", 4.5},
		{".nce-tick", "fill", 4.5},
		{".nce-rl", "color", 4.5},
		{"[data-metric=kl]", "color", 4.5},
		{".nce-ctl label", "color", 4.5},
		{".nce-l.model", "stroke", 3},
		{".nce-l.bayes", "stroke", 3},
	} {
		ratio := eval[float64](dark, contrastJS+`(() => {
			const el = document.querySelector(`+"`"+c.sel+"`"+`);
			if (!el) return -1;
			const panel = el.closest(".nce-panel, .nce-bar, .nce-controls") || document.body;
			return contrast(getComputedStyle(el)[`+"`"+c.prop+"`"+`], getComputedStyle(panel).backgroundColor);
		})()`)
		switch {
		case ratio < 0:
			t.Errorf("theme=dark: no %s on the page", c.sel)
		case ratio < c.min:
			t.Errorf("theme=dark: %s's %s has contrast %.2f against its panel, want ≥ %g", c.sel, c.prop, ratio, c.min)
		}
	}
	dark.noErrors()
}

// contrastJS defines luminance(css colour) and contrast(a, b), the WCAG
// relative luminance and contrast ratio of two CSS colours.
const contrastJS = `
var luminance = (c) => {
	const m = c.match(/[\d.]+/g).slice(0, 3).map((v) => {
		v = +v / 255;
		return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
	});
	return 0.2126 * m[0] + 0.7152 * m[1] + 0.0722 * m[2];
};
var contrast = (a, b) => {
	const x = luminance(a), y = luminance(b);
	return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
};
`
