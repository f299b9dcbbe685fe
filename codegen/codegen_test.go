package codegen

import (
	"errors"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"nceplay/core/density"
	"nceplay/core/model"
	"nceplay/core/objective"
	"nceplay/core/optim"
	"nceplay/core/spec"
)

// specsOfEveryValue returns one spec per value of every registry the
// script depends on (targets, noises, models, objectives, optimizers,
// schedules), each otherwise at its defaults or the nearest valid spec.
func specsOfEveryValue(t *testing.T) []string {
	var qs []string
	for _, tg := range density.Targets {
		qs = append(qs, "target="+tg.Name)
	}
	for _, n := range density.Noises {
		qs = append(qs, "noise="+n.Name)
	}
	for _, m := range model.All {
		qs = append(qs, "model="+m.Name, "target=ring&model="+m.Name+"&units=8")
	}
	for _, o := range objective.All {
		qs = append(qs, "obj="+o.Name, "target=gauss2d&model=mlp&units=8&obj="+o.Name)
		if o.Scalar {
			qs = append(qs, "obj="+o.Name+"&norm="+spec.NormFixed)
		}
		if o.Convex {
			qs = append(qs, "obj="+o.Name+"&opt="+optim.Newton.Name, "target=gauss2d&obj="+o.Name+"&opt="+optim.Newton.Name)
		}
	}
	for _, o := range optim.All {
		qs = append(qs, "opt="+o.Name)
	}
	for _, sc := range optim.Schedules {
		qs = append(qs, "sched="+sc.Name)
	}
	qs = append(qs, "model=rbf&opt="+optim.Newton.Name, "noise=uniform&nscale=2&nshift=0.5", "noise=laplace&nshift=-1&nscale=0.5",
		"target=spiral&noise=mix&ncomp=4&nscale=2&nshift=0.1&model=rbf&units=12&opt="+optim.Newton.Name)
	for _, q := range qs {
		if _, err := spec.Parse(q); err != nil {
			t.Fatalf("test spec %q: %v", q, err)
		}
	}
	return qs
}

// TestEveryValue writes the script of every registry value: each has its
// part in the template, the text is the same every time, short, imports
// PyTorch (NumPy) alone and prints its spec. The NumPy script refuses
// what it does not write with an error that says so (NumPyUnsupported).
func TestEveryValue(t *testing.T) {
	imports := regexp.MustCompile(`(?m)^(import|from) .*$`)
	allowed := map[bool][]string{
		false: {"import json", "import math", "import torch", "import torch.nn.functional as F"},
		true:  {"import json", "import math", "import numpy as np"},
	}
	for _, q := range specsOfEveryValue(t) {
		s, err := spec.Parse(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for _, numpy := range []bool{false, true} {
			gen, name := PyTorch, "PyTorch"
			if numpy {
				gen, name = NumPy, "NumPy"
			}
			script, err := gen(s)
			if why := NumPyUnsupported(s); numpy && why != "" {
				var e *Error
				if !errors.As(err, &e) || !strings.Contains(err.Error(), why) {
					t.Errorf("%s, NumPy: want the error %q, got %v", q, why, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s, %s: %v", q, name, err)
				continue
			}
			if again, _ := gen(s); again != script {
				t.Errorf("%s, %s: two calls gave different scripts", q, name)
			}
			// The mixture noise's EM adds some 40 lines.
			limit := 150
			if info, _ := density.LookupNoise(s.Noise); info.Components {
				limit = 190
			}
			if n := strings.Count(script, "\n"); n > limit {
				t.Errorf("%s, %s: %d lines, want at most %d", q, name, n, limit)
			}
			for _, imp := range imports.FindAllString(script, -1) {
				if !slices.Contains(allowed[numpy], imp) {
					t.Errorf("%s, %s: imports %q", q, name, imp)
				}
			}
			if strings.Contains(script, "{{") || strings.Contains(script, "<no value>") {
				t.Errorf("%s, %s: template left over in the script", q, name)
			}
			if !strings.Contains(script, `"spec": "`+s.ExperimentQuery()+`"`) {
				t.Errorf("%s, %s: the script does not print its spec", q, name)
			}
		}
	}
}

// TestBadSpec: an invalid spec is the spec's error, never a script.
func TestBadSpec(t *testing.T) {
	s := spec.Default()
	s.K = 0
	if _, err := PyTorch(s); err == nil {
		t.Error("k=0: no error")
	}
}

// TestNoSystemImports keeps the package callable from a WebAssembly
// worker: it reads no files, runs no processes, opens nothing.
func TestNoSystemImports(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		pf, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range pf.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p == "os" || strings.HasPrefix(p, "os/") || p == "syscall" || strings.HasPrefix(p, "net") || p == "unsafe" {
				t.Errorf("%s imports %s", f, p)
			}
		}
	}
	if _, err := os.Stat("torch.tmpl.py"); err != nil {
		t.Fatal(err)
	}
}

// TestTidy: Python's layout of definitions.
func TestTidy(t *testing.T) {
	in := "\n\nx = 1\n\n\n\ny = 2\n# about f\ndef f():\n    return 1\n\n    # inside\nz = f()  \n"
	want := "x = 1\n\ny = 2\n\n\n# about f\ndef f():\n    return 1\n\n    # inside\n\n\nz = f()\n"
	if got := tidy(in); got != want {
		t.Errorf("tidy:\n%s\nwant:\n%s", got, want)
	}
}
