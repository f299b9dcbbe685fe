// Package core_test checks rules that hold for the whole engine.
package core_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestStandardLibraryOnly fails if any package under core imports
// anything but the standard library and core itself.
func TestStandardLibraryOnly(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", "./...").Output()
	if err != nil {
		t.Skipf("go list unavailable here (%v); TestImportsByParsing covers the rule", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if !strings.HasPrefix(p, "nceplay/core") {
			t.Errorf("core depends on %s, which is outside the standard library", p)
		}
	}
}

// TestImportsByParsing checks the same rule from the source files alone
// (it also runs under wasm, where the go command is absent), and that no
// file calls the math functions that are assembly on amd64: results must
// be bit-identical natively and in wasm, so core uses core/fmath instead.
func TestImportsByParsing(t *testing.T) {
	banned := map[string]bool{"Exp": true, "Log": true, "Pow": true, "Tanh": true, "Hypot": true,
		"Log2": true, "Log10": true, "Exp2": true, "Sinh": true, "Cosh": true, "Atanh": true, "Asinh": true, "Acosh": true}
	files := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		files++
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p := strings.Trim(imp.Path.Value, `"`)
			first := strings.Split(p, "/")[0]
			if strings.Contains(first, ".") || (first == "nceplay" && !strings.HasPrefix(p, "nceplay/core")) {
				t.Errorf("%s imports %s: core may import only the standard library", path, p)
			}
		}
		if strings.HasSuffix(path, "_test.go") {
			return nil
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok && (sel.Sel.Name == "NormFloat64" || sel.Sel.Name == "ExpFloat64") {
				t.Errorf("%s: rand's %s calls math.Log/Exp in its tails; use density.Normal/Exponential", path, sel.Sel.Name)
			}
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "math" && banned[sel.Sel.Name] {
					t.Errorf("%s: math.%s differs between amd64 and wasm; use core/fmath", path, sel.Sel.Name)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 10 {
		t.Fatalf("walked only %d Go files: the test is not looking at core", files)
	}
}
