//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/vugu/vugu"
	"github.com/vugu/vugu/domrender"
)

func main() {
	// The page's CSP has no 'unsafe-eval': web/static/vugu-render.js (the
	// renderer's helper script, extracted at build time) is already loaded,
	// so the renderer's eval of the same script is skipped.
	win := js.Global()
	// Marks of the first render's stages, reported by make ui-bench.
	win.Get("performance").Call("mark", "nce-main")
	eval := win.Get("eval")
	win.Set("eval", js.FuncOf(func(js.Value, []js.Value) any { return nil }))
	renderer, err := domrender.New("#nce-mount")
	win.Set("eval", eval)
	if err != nil {
		panic(err)
	}
	defer renderer.Release()

	env := renderer.EventEnv()
	buildEnv, err := vugu.NewBuildEnv(env)
	if err != nil {
		panic(err)
	}
	root := &Root{}
	root.start(env)
	win.Get("performance").Call("mark", "nce-started")

	for ok := true; ok; ok = renderer.EventWait() {
		b := buildEnv.RunBuild(root)
		if !rendered {
			win.Get("performance").Call("mark", "nce-built")
		}
		if err := renderer.Render(b); err != nil {
			panic(err)
		}
		root.updateLive(true) // a render may have replaced live elements (live.go)
		markRendered()
	}
}
