//go:build !(js && wasm)

package main

import (
	"nceplay/wasm/view"
	"nceplay/wasm/wire"
)

// Native stubs of bridge_wasm.go, so that go build and go vet see the
// package; nothing runs natively.

func startBrowser(chan<- wire.Message, chan<- string, chan<- func(*Root)) {}
func prefersDark() bool                                                   { return false }
func postWorker(wire.Message)                                             {}
func pageLocation() (path, query string)                                  { return "/", "" }
func pageOrigin() string                                                  { return "http://127.0.0.1" }
func replaceURL(string)                                                   {}
func copyText(string)                                                     {}
func download(name, mime, content string)                                 {}
func exportPNG(string)                                                    {}
func setTheme(string)                                                     {}
func drawPixels(string, uint64, int, int, []byte)                         {}
func markRendered()                                                       {}
func writeLive(id string, html bool, content string, seq uint64)          {}
func showCode(string)                                                     {}
func showGIF(string, []view.GIFChoice, bool, string)                      {}
func scrollToPanel(string)                                                {}
func startPaint(func(func(*Root)))                                        {}
