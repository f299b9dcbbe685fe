package e2e

import (
	"os"
	"testing"
	"time"
)

// Temporary probe (not committed).
func TestCPUProbe(t *testing.T) {
	if os.Getenv("NCE_PROBE") == "" {
		t.Skip()
	}
	tb := newTabFor(t, 1280, 900, 30*time.Minute)
	plain, _ := plainHost()
	_ = plain
	for _, extra := range []string{"", "&workers=1", "&panels=curves", "&panels=curves&workers=1"} {
		trainW2(tb, baseURL, extra)
	}
}
