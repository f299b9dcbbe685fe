package main

import (
	"nceplay/wasm/view"
	"nceplay/wasm/wire"
)

// OpenGIF opens the "GIF" dialog for the experiment: its panels (the
// drawable ones shown on the page checked), frames, width and theme. The
// dialog (web/static/app.js) and the GIF's maker (gif.wasm, in a worker of
// its own, started on the first "Make GIF") are not in ui.wasm.
//
// An experiment on a data file is trained on the file, which the training
// worker keeps: the page first asks the worker for its text
// (wire.DataExport for the GIF; gifWithFile opens the dialog with it).
func (c *Root) OpenGIF() {
	if c.S.DataFile != "" {
		c.send(wire.DataExport{For: wire.ForGIF})
		return
	}
	showGIF(c.S.ExperimentQuery(), view.GIFChoices(c.Show), c.Dark(), "")
}

// gifWithFile opens the "GIF" dialog with the data file the worker sent
// (the experiment's own: the worker keeps the file of the current spec).
func (c *Root) gifWithFile(m wire.DataFileCSV) {
	if m.Err != "" {
		c.Toast = "No GIF: " + m.Err
		return
	}
	showGIF(c.S.ExperimentQuery(), view.GIFChoices(c.Show), c.Dark(), m.CSV)
}
