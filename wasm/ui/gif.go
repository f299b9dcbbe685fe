package main

import "nceplay/wasm/view"

// OpenGIF opens the "GIF" dialog for the experiment: its panels (the
// drawable ones shown on the page checked), frames, width and theme. The
// dialog (web/static/app.js) and the GIF's maker (gif.wasm, in a worker of
// its own, started on the first "Make GIF") are not in ui.wasm.
func (c *Root) OpenGIF() {
	showGIF(c.S.ExperimentQuery(), view.GIFChoices(c.Show), c.Dark())
}
