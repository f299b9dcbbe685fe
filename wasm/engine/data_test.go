package engine

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"nceplay/wasm/wire"
)

// TestImportData: a pasted CSV becomes the data key's value; a bad row is
// refused naming it; too many points for a link say to use a file.
func TestImportData(t *testing.T) {
	good := "x,y\n" + strings.Repeat("0.5,1\n-1,2\n", 10)
	if r := ImportData(wire.DataImport{CSV: good}); r.Err != "" || r.Dim != 2 || r.N != 20 || r.Value == "" {
		t.Errorf("good: %+v", r)
	}
	bad := strings.Replace(good, "-1,2\n", "-1,abc\n", 1)
	if r := ImportData(wire.DataImport{CSV: bad}); r.Value != "" || !strings.Contains(r.Err, "line 3: 'abc' is not a number") {
		t.Errorf("bad row: %+v", r)
	}
	var big strings.Builder
	r := rand.New(rand.NewPCG(1, 1))
	for range 20000 {
		big.WriteString(strconv.FormatFloat(r.Float64()*6-3, 'g', -1, 64) + "," + strconv.FormatFloat(r.Float64()*6-3, 'g', -1, 64) + "\n")
	}
	if r := ImportData(wire.DataImport{CSV: big.String()}); r.Value != "" || !strings.Contains(r.Err, "more than a link holds") {
		t.Errorf("20000 points: %+v", r.Err)
	}
}
