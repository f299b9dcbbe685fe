package lab

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode"

	"nceplay/core/lab/sweep"
	"nceplay/core/objective"
	"nceplay/core/spec"
)

// TestSharedKeys is docs/spec.md#labs' rule: a lab key with a playground
// key's name keeps its meaning — the same kind, label and view flag —
// and may only narrow it: a subset of the values (for obj, objective
// registry names, which the playground's values are), a range within the
// playground's, even if the playground's is, and a default the
// playground's row accepts. Its doc says what it does in the lab: it
// names no objective or optimizer of the playground's values that the
// lab leaves out (by name, or for obj by its title), and no objective or
// optimizer the lab's obj and opt leave out.
func TestSharedKeys(t *testing.T) {
	shared := 0
	for _, l := range All {
		for _, k := range l.Keys {
			p := spec.Playground.Lookup(k.Name)
			if p == nil {
				continue
			}
			shared++
			where := l.Name + "." + k.Name
			if k.Kind != p.Kind || k.Label != p.Label || k.View != p.View || k.Log != p.Log || k.Doc == "" {
				t.Errorf("%s: kind %v label %q view %v log %v doc %q; the playground's: %v %q %v %v",
					where, k.Kind, k.Label, k.View, k.Log, k.Doc, p.Kind, p.Label, p.View, p.Log)
			}
			doc := strings.ToLower(k.Doc)
			words := strings.FieldsFunc(doc, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
			for _, key := range []string{"obj", "opt"} {
				lk, pk := keyOf(l, key), spec.Playground.Lookup(key)
				if lk == nil || pk == nil {
					continue
				}
				for _, v := range pk.Values {
					if slices.Contains(lk.Values, v) {
						continue
					}
					if slices.Contains(words, v) {
						t.Errorf("%s: doc %q names %s=%s, which the lab does not allow", where, k.Doc, key, v)
					}
					if o := objective.Lookup(v); o != nil && strings.Contains(doc, strings.ToLower(o.Title)) {
						t.Errorf("%s: doc %q names %s (%s=%s), which the lab does not allow", where, k.Doc, o.Title, key, v)
					}
				}
			}
			for _, v := range k.Values {
				if !slices.Contains(p.Values, v) {
					t.Errorf("%s: value %q is not one of the playground's %v", where, v, p.Values)
				}
			}
			if k.Name == "obj" {
				for _, v := range k.Values {
					if objective.Lookup(v) == nil {
						t.Errorf("%s: %q is not in the objective registry", where, v)
					}
				}
			}
			if k.Min < p.Min || k.Max > p.Max || p.Even && !k.Even {
				t.Errorf("%s: range %v … %v (even %v), wider than the playground's %v … %v (even %v)", where, k.Min, k.Max, k.Even, p.Min, p.Max, p.Even)
			}
			s := spec.Default()
			if err := p.Set(&s, k.Default); err != nil {
				t.Errorf("%s: default %q is not a playground value: %v", where, k.Default, err)
			}
		}
	}
	if shared == 0 {
		t.Fatal("no lab shares a key: the test checks nothing")
	}
}

// keyOf returns l's key called name, or nil.
func keyOf(l *Lab, name string) *Key {
	for i := range l.Keys {
		if l.Keys[i].Name == name {
			return &l.Keys[i]
		}
	}
	return nil
}

// TestLabKey: every lab's table starts with the lab key, which names the
// lab and is always written, and its own keys are documented like the
// playground's (a label, a one-sentence doc).
func TestLabKey(t *testing.T) {
	for _, l := range All {
		k := l.Keys[0]
		if k.Name != KeyName || !k.Always || k.View || k.Kind != spec.KindEnum || k.Default != l.Name || !slices.Equal(k.Values, []string{l.Name}) {
			t.Errorf("%s: first key %+v; want the lab key, always written, with the one value %q", l.Name, k, l.Name)
		}
		if Lookup(l.Name) != l || spec.Playground.Lookup(l.Name) != nil {
			t.Errorf("%s: Lookup fails, or the name is a playground key", l.Name)
		}
		for _, k := range l.Keys {
			if k.Label == "" || !strings.HasSuffix(k.Doc, ".") || strings.Contains(k.Doc, ". ") {
				t.Errorf("%s.%s: want a label and a one-sentence doc, have %q, %q", l.Name, k.Name, k.Label, k.Doc)
			}
		}
		md := l.Markdown()
		if !strings.HasPrefix(md, "| key | values | default | meaning |") || strings.Count(md, "\n") != len(l.Keys)+2 {
			t.Errorf("%s: Markdown table\n%s", l.Name, md)
		}
		if l.Title == "" || l.Doc == "" || !strings.HasPrefix(l.Cite, "docs/") || l.New == nil {
			t.Errorf("%s: incomplete row %+v", l.Name, l)
		}
	}
}

func TestSelect(t *testing.T) {
	for q, want := range map[string]*Lab{
		"":                    nil,
		"k=5&target=ring":     nil,
		"?lab=w2v":            W2V,
		"k=5&lab=w2v&lab=w2v": W2V, // the lab's own Parse reports the repeat
		"%6Cab=w%32v":         W2V,
		"rho=0.5&lab=infonce": InfoNCE,
		"lab=sweep&n=100":     Sweep,
		"lab=vocab&k=5":       Vocab,
	} {
		l, err := Select(q)
		if err != nil || l != want {
			t.Errorf("Select(%q) = %v, %v", q, l, err)
		}
	}
	for q, msg := range map[string]string{
		"lab=nope":   `spec: key "lab": value "nope" is not one of the allowed values; allowed: w2v, sweep, infonce, vocab`,
		"lab=":       `spec: key "lab" has no value; allowed: w2v, sweep, infonce, vocab`,
		"lab=\x00x%": `spec: key "lab": value "\x00x%" is not one of the allowed values; allowed: w2v, sweep, infonce, vocab`,
	} {
		if _, err := Select(q); err == nil || err.Error() != msg {
			t.Errorf("Select(%q): %v; want %s", q, err, msg)
		}
	}
}

// TestRun drives the w2v lab through the registry as the runner does.
func TestRun(t *testing.T) {
	r, err := W2V.New("lab=w2v&tokens=2000&epochs=1&dim=4", Input{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Query() != "lab=w2v&tokens=2000&dim=4&epochs=1" {
		t.Errorf("query %q", r.Query())
	}
	for !r.Done() {
		if err := r.Step(500); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := r.(VectorWriter); !ok {
		t.Error("the w2v run writes no vectors")
	}
	if r.Report(1, 1000) == nil {
		t.Error("no report")
	}
	if _, err := W2V.New("lab=w2v&corpus=text", Input{}); err == nil {
		t.Error("corpus=text without a text was accepted")
	}
	text := "one two three two one three one"
	if _, err := W2V.New("lab=w2v&corpus=text", Input{Text: &text}); err != nil {
		t.Error(err)
	}
}

// TestRunInfoNCE drives the InfoNCE lab through the registry.
func TestRunInfoNCE(t *testing.T) {
	r, err := InfoNCE.New("lab=infonce&k=7&units=8&steps=50", Input{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Query() != "lab=infonce&k=7&units=8&steps=50" {
		t.Errorf("query %q", r.Query())
	}
	for !r.Done() {
		if err := r.Step(20); err != nil {
			t.Fatal(err)
		}
	}
	if r.Report(1, 1000) == nil {
		t.Error("no report")
	}
	if _, err := InfoNCE.New("lab=infonce&k=abc", Input{}); err == nil {
		t.Error("k=abc was accepted")
	}
}

// TestRunSweep drives the sweep lab through the registry: its rows are
// those of sweep.Run with one worker.
func TestRunSweep(t *testing.T) {
	q := "lab=sweep&target=gauss&deg=2&ks=1,10&reps=6"
	r, err := Sweep.New(q, Input{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Query() != q {
		t.Errorf("query %q", r.Query())
	}
	for !r.Done() {
		if err := r.Step(10000); err != nil {
			t.Fatal(err)
		}
	}
	s, _ := sweep.Parse(q)
	sw, _ := sweep.New(s)
	res, _ := sw.Run(context.Background(), 1, nil)
	a, _ := json.Marshal(r.Report(0, 0).(sweep.Report).Rows)
	b, _ := json.Marshal(res.Rows())
	if string(a) != string(b) {
		t.Errorf("registry rows\n%s\none worker\n%s", a, b)
	}
}

// TestRunVocab drives the vocab lab through the registry as the runner
// does: the run, then its softmax reference.
func TestRunVocab(t *testing.T) {
	r, err := Vocab.New("lab=vocab&vocab=300&contexts=20&pairs=2000&dim=4&k=5", Input{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Query() != "lab=vocab&vocab=300&contexts=20&pairs=2000&dim=4&k=5" {
		t.Errorf("query %q", r.Query())
	}
	steps := 0
	for !r.Done() {
		if err := r.Step(700); err != nil {
			t.Fatal(err)
		}
		steps++
	}
	if steps != 6 { // 2000 steps of nce in 3 slices, then 2000 of the softmax
		t.Errorf("%d slices", steps)
	}
	if r.Report(1, 1000) == nil {
		t.Error("no report")
	}
	if _, ok := r.(VectorWriter); ok {
		t.Error("the vocab run claims to write vectors")
	}
	if _, err := Vocab.New("lab=vocab&vocab=100001", Input{}); err == nil {
		t.Error("vocab=100001 was accepted")
	}
}
