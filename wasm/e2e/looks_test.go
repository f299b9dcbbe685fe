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
	dark.noErrors()
}
