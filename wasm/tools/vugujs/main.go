// Command vugujs writes Vugu's DOM renderer helper script (the constant
// jsHelperScript of github.com/vugu/vugu/domrender, as pinned in go.mod)
// to a file, so the page can load it as a script from its own origin.
// The renderer would otherwise eval it, which the page's CSP (no
// 'unsafe-eval') forbids; wasm/ui skips that eval.
//
//	go run ./wasm/tools/vugujs -o build/vugu-render.js
package main

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

func main() {
	out := flag.String("o", "vugu-render.js", "output file")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "vugujs:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/vugu/vugu").Output()
	if err != nil {
		return fmt.Errorf("finding the vugu module: %v", err)
	}
	src := filepath.Join(strings.TrimSpace(string(dir)), "domrender", "renderer-js-script.go")
	script, err := helperScript(src)
	if err != nil {
		return err
	}
	return os.WriteFile(out, []byte("// Vugu's DOM renderer helper (github.com/vugu/vugu/domrender, MIT licence), extracted by wasm/tools/vugujs.\n"+script+"\n"), 0o644)
}

// helperScript returns the value of the constant jsHelperScript in the Go
// file src.
func helperScript(src string) (string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), src, nil, 0)
	if err != nil {
		return "", err
	}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, sp := range g.Specs {
			vs := sp.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if n.Name != "jsHelperScript" || i >= len(vs.Values) {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return "", fmt.Errorf("%s: jsHelperScript is not a string literal", src)
				}
				return strconv.Unquote(lit.Value)
			}
		}
	}
	return "", fmt.Errorf("%s: no constant jsHelperScript", src)
}
