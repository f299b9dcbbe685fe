package spec

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"nceplay/core/density"
	"nceplay/core/model"
	"nceplay/core/objective"
	"nceplay/core/optim"
)

// registries returns every registry's names by the spec key they fill.
func registries() map[string][]string {
	var targets, noises, panels []string
	for _, t := range append(density.Targets, density.DataTargets...) {
		targets = append(targets, t.Name)
	}
	for _, n := range density.Noises {
		noises = append(noises, n.Name)
	}
	for _, p := range Panels {
		panels = append(panels, p.ID)
	}
	return map[string][]string{
		kTarget: targets, kNoise: noises, kModel: model.Names(), kObj: objective.Names(),
		kOpt: optim.Names(), kSched: optim.ScheduleNames(), kPanels: panels,
		kNorm: {NormLearn, NormFixed}, kTheme: {ThemeAuto, ThemeLight, ThemeDark},
		kTour: TourNames(),
	}
}

// TestValuesComeFromRegistries ties the spec's lists to the registries:
// the allowed values of every enum key are its registry's names, in order,
// and the target key's dimensions are the target registry's.
func TestValuesComeFromRegistries(t *testing.T) {
	for key, names := range registries() {
		if k := Lookup(key); k == nil || !slices.Equal(k.Values, names) {
			t.Errorf("key %s: values %v, registry %v", key, k.Values, names)
		}
	}
	// The controls key's values are the key table's own names (the keys
	// with a control), spelled once as the k… constants.
	var want []string
	for _, k := range Keys {
		if !k.View && !(k.Kind == KindInt && k.Min == k.Max) && k.Kind != KindText {
			want = append(want, k.Name)
		}
	}
	if got := Lookup(kControls).Values; !slices.Equal(got, want) {
		t.Errorf("key controls: values %v, want the experiment keys %v", got, want)
	}
	for i, tg := range density.Targets {
		if Lookup(kTarget).Dims[i] != tg.Dim {
			t.Errorf("target %s: Dims says %d, registry %d", tg.Name, Lookup(kTarget).Dims[i], tg.Dim)
		}
	}
	for _, k := range Keys {
		if (k.Kind == KindEnum || k.Kind == KindList || k.Kind == KindText && k.Values != nil) && registries()[k.Name] == nil && k.Name != kControls {
			t.Errorf("key %s has values but no registry", k.Name)
		}
	}
}

// TestNoValueLiteralSwitches fails on a registry value spelled as a string
// literal in a comparison, a switch case or a map key anywhere in the
// module's Go code (generated Vugu code included, so templates count):
// behaviour that depends on a target, model, objective, optimizer, panel,
// norm or theme is asked of its registry row, or names the value by its
// registry constant (docs/architecture.md#registries).
func TestNoValueLiteralSwitches(t *testing.T) {
	values := make(map[string]string)
	for key, names := range registries() {
		for _, n := range names {
			values[n] = key
		}
	}
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); name == "node_modules" || name == "build" || strings.HasPrefix(name, ".") && path != root {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		check := func(e ast.Expr, what string) {
			lit, ok := e.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return
			}
			v, err := strconv.Unquote(lit.Value)
			if err != nil {
				return
			}
			if key, ok := values[v]; ok {
				t.Errorf("%s: %s %q, a value of key %s: ask its registry row or use its constant", fset.Position(lit.Pos()), what, v, key)
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BinaryExpr:
				if n.Op == token.EQL || n.Op == token.NEQ {
					check(n.X, "compares with")
					check(n.Y, "compares with")
				}
			case *ast.CaseClause:
				for _, e := range n.List {
					check(e, "switches on")
				}
			case *ast.KeyValueExpr:
				check(n.Key, "maps")
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
