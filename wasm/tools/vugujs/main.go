// Command vugujs writes Vugu's DOM renderer helper script (the constant
// jsHelperScript of github.com/vugu/vugu/domrender, as pinned in go.mod)
// to a file, so the page can load it as a script from its own origin.
// The renderer would otherwise eval it, which the page's CSP (no
// 'unsafe-eval') forbids; wasm/ui skips that eval.
//
// It also patches the script so that a render leaves unchanged DOM alone:
// Vugu re-sends every attribute, text, property and vg-html of the whole
// tree on each render, and the browser re-styles and re-lays out whatever
// is written, even with the same value (and re-parses vg-html, replacing
// its nodes). Skipping equal writes cut the page's main-thread time per
// training frame by more than half (see wasm/README.md).
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
	if script, err = patch(script); err != nil {
		return err
	}
	return os.WriteFile(out, []byte("// Vugu's DOM renderer helper (github.com/vugu/vugu/domrender, MIT licence), extracted by wasm/tools/vugujs.\n"+script+"\n"), 0o644)
}

// patches make the minified helper of Vugu v0.4.0 skip writes of values
// the DOM already has; each must match exactly n times (a new Vugu
// version must be looked at again).
var patches = []struct {
	old, new string
	n        int
}{
	// opcodeSetAttrStr
	{`e.setAttribute(t,n),x.elAttrNames[t]=!0`, `e.getAttribute(t)!==n&&e.setAttribute(t,n),x.elAttrNames[t]=!0`, 1},
	// opcodeSetAttrNSStr
	{`t.setAttributeNS(e,n,s),x.elAttrNames[n]=!0`, `t.getAttributeNS(e,n)!==s&&t.setAttributeNS(e,n,s),x.elAttrNames[n]=!0`, 1},
	// opcodeSetInnerHTML (vg-html): remember what was set on the element
	{`x.el.innerHTML=(x.bufferedInnerHTML||"")+e,x.bufferedInnerHTML=null`,
		`(h=>{x.el.__vgHTML!==h&&(x.el.innerHTML=h,x.el.__vgHTML=h)})((x.bufferedInnerHTML||"")+e),x.bufferedInnerHTML=null`, 1},
	// opcodeSetProperty
	{`e[t]=JSON.parse(n);break}`, `(v=>{e[t]!==v&&(e[t]=v)})(JSON.parse(n));break}`, 1},
	// opcodeSetText, opcodeSetComment
	{`else x.el.textContent=e;break}`, `else x.el.textContent!==e&&(x.el.textContent=e);break}`, 2},
}

func patch(script string) (string, error) {
	for _, p := range patches {
		if c := strings.Count(script, p.old); c != p.n {
			return "", fmt.Errorf("patching Vugu's helper: %q occurs %d times, want %d", p.old, c, p.n)
		}
		script = strings.ReplaceAll(script, p.old, p.new)
	}
	return script, nil
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
