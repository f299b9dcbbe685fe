package engine

import (
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"nceplay/core/dataset"
	"nceplay/core/density"
	"nceplay/core/nce"
	"nceplay/wasm/wire"
)

// bigCSV is n 2D points, uniform on [−3, 3]², too many for a link when n
// is large.
func bigCSV(n int) string {
	var b strings.Builder
	r := rand.New(rand.NewPCG(1, 1))
	b.WriteString("# test points\nx;y\n")
	for range n {
		b.WriteString(strconv.FormatFloat(r.Float64()*6-3, 'f', 6, 64) + ";" + strconv.FormatFloat(r.Float64()*6-3, 'f', 6, 64) + "\n")
	}
	return b.String()
}

// TestImportData: a pasted CSV becomes the data key's value; a bad row is
// refused naming it; too many points for a link become a data file the
// worker keeps, named by its hash.
func TestImportData(t *testing.T) {
	good := "x,y\n" + strings.Repeat("0.5,1\n-1,2\n", 10)
	if r, f := ImportData(wire.DataImport{CSV: good}); r.Err != "" || r.Dim != 2 || r.N != 20 || r.Value == "" || r.File != "" || f != nil {
		t.Errorf("good: %+v", r)
	}
	bad := strings.Replace(good, "-1,2\n", "-1,abc\n", 1)
	if r, f := ImportData(wire.DataImport{CSV: bad}); r.Value != "" || r.File != "" || f != nil || !strings.Contains(r.Err, "line 3: 'abc' is not a number") {
		t.Errorf("bad row: %+v", r)
	}
	big := bigCSV(20000)
	r, f := ImportData(wire.DataImport{CSV: big})
	pts, dim, err := dataset.ParseCSV([]byte(big), 0)
	if err != nil {
		t.Fatal(err)
	}
	id := dataset.ID(pts, dim)
	if r.Err != "" || r.Value != "" || r.File != id || r.N != 20000 || r.Dim != 2 || f == nil || f.ID != id || len(f.Pts) != 40000 {
		t.Fatalf("20000 points: %+v", r)
	}
	// The canonical CSV reads back to the same points, so the same ID.
	p2, d2, err := dataset.ParseCSV([]byte(f.CSV()), 0)
	if err != nil || d2 != 2 || dataset.ID(p2, d2) != id {
		t.Errorf("canonical CSV: %v, %d, %s want %s", err, d2, dataset.ID(p2, d2), id)
	}
	// Asked for a file: the right one (in another layout) is taken even
	// when it would fit in a link; a wrong one is refused by its hash.
	small := bigCSV(50)
	sp, _, _ := dataset.ParseCSV([]byte(small), 0)
	want := dataset.ID(sp, 2)
	if r, f := ImportData(wire.DataImport{CSV: strings.ReplaceAll(small, ";", ", "), Want: want}); r.Err != "" || r.File != want || f == nil {
		t.Errorf("the wanted file: %+v", r)
	}
	if r, f := ImportData(wire.DataImport{CSV: big, Want: want}); f != nil || !strings.Contains(r.Err, "the hash does not match") || !strings.Contains(r.Err, want) {
		t.Errorf("a wrong file: %+v", r)
	}
}

// TestFileRun: a datafile link trains on the kept file, as the runner's
// nceplay run --data does on its canonical CSV (the same trainer, so the
// same numbers); without the file, or with another, it needs the file.
func TestFileRun(t *testing.T) {
	_, f := ImportData(wire.DataImport{CSV: bigCSV(20000)})
	q := "target=data2d&datafile=" + f.ID + "&k=4&steps=30"
	if f.For("target=data2d&datafile=0123456789abcdef-20000") != nil || f.For(q) == nil {
		t.Fatal("File.For")
	}
	var nf *nce.NeedsFileError
	if _, err := NewFile(q, nil); !errors.As(err, &nf) || nf.ID != f.ID || nf.N != 20000 {
		t.Errorf("without the file: %v", err)
	}
	// A message's empty array of points is no file (wire.PeerInit for a
	// spec that names none).
	if _, err := NewHelper("k=5", []float64{}); err != nil {
		t.Errorf("a helper with no points: %v", err)
	}
	r, err := NewFile(q, f.For(q))
	if err != nil {
		t.Fatal(err)
	}
	r.Train(30, 1<<40)
	pts, dim, _ := dataset.ParseCSV([]byte(f.CSV()), 0)
	s := r.Spec()
	tr, err := dataset.NewTrainer(s, pts[:len(pts)/dim*dim])
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Step(30); err != nil {
		t.Fatal(err)
	}
	a, b := r.tr.Metrics(), tr.Metrics()
	if a.C != b.C || a.LogZ != b.LogZ || a.HeldOutLL != b.HeldOutLL {
		t.Errorf("page c %v logZ %v ll %v; runner c %v logZ %v ll %v", a.C, a.LogZ, a.HeldOutLL, b.C, b.LogZ, b.HeldOutLL)
	}
}

// TestImportPainted: painted points (float64s, no CSV) become the data
// key's value, which decodes to them within half a grid step; the answer
// says Painted; too few points and a point outside the box are refused
// with the reason; too many for a link become a data file the worker
// keeps, as a CSV's do; a CSV's answer never says Painted.
func TestImportPainted(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	pts := make([]float64, 0, 2*300)
	for range 300 {
		pts = append(pts, r.Float64()*2-3, r.Float64()*2+1)
	}
	got, f := ImportData(wire.DataImport{Dim: 2, Points: pts})
	if got.Err != "" || !got.Painted || got.Dim != 2 || got.N != 300 || got.Value == "" || f != nil {
		t.Fatalf("300 painted points: %+v", got)
	}
	dim, back, err := dataset.Decode(got.Value)
	if err != nil || dim != 2 || len(back) != len(pts) {
		t.Fatalf("decode: dim %d, %d values, %v", dim, len(back), err)
	}
	h := density.DataStep(2) / 2
	for i := 0; i < len(back); i += 2 {
		if back[i] < -3-h || back[i] > -1+h || back[i+1] < 1-h || back[i+1] > 3+h {
			t.Fatalf("point %d (%g, %g) left the painted square", i/2, back[i], back[i+1])
		}
	}
	if r, _ := ImportData(wire.DataImport{Dim: 2, Points: pts[:2*9]}); r.Value != "" || !r.Painted || !strings.Contains(r.Err, "9 points") {
		t.Errorf("9 points: %+v", r)
	}
	out := append([]float64{4.5, 0}, pts[:40]...)
	if r, _ := ImportData(wire.DataImport{Dim: 2, Points: out}); r.Value != "" || !strings.Contains(r.Err, "outside the box") {
		t.Errorf("a point outside: %+v", r)
	}
	var many []float64
	for range 5000 {
		many = append(many, r.Float64()*8-4, r.Float64()*8-4)
	}
	if r, f := ImportData(wire.DataImport{Dim: 2, Points: many}); r.Value != "" || r.Err != "" || !r.Painted || r.File != dataset.ID(many, 2) || f == nil || len(f.Pts) != len(many) {
		t.Errorf("5000 painted points: %+v", r)
	}
	for _, none := range [][]float64{nil, {}} { // from JS, an absent Points comes back empty
		if r, _ := ImportData(wire.DataImport{CSV: "x,y\n" + strings.Repeat("0.5,1\n", 10), Points: none}); r.Painted || r.Err != "" || r.N != 10 {
			t.Errorf("a pasted CSV (Points %#v): %+v", none, r)
		}
	}
}
