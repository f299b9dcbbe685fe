// Command lab is the labs' page (docs/spec.md#labs): a Vugu app of its own,
// loaded by web/static/app.js instead of the playground's when the query
// names a lab (lab=…), so that the playground's page never grows with a
// lab's code. It shows what the labs' training worker (wasm/labworker)
// sends; its logic lives in package labview, this package holds the
// components and the glue to the browser (bridge_wasm.go).
//
// Every lab page has the parts of root.vugu (header, settings generated
// from the lab's key table, transport, progress, readouts, banners,
// links); a lab's own panels are one set of components (w2v-*.vugu for
// the word2vec lab) fed by its payload in wire.LabFrame.
//
// Generate the components with `go generate ./wasm/lab` (without GOOS and
// GOARCH set), then build with GOOS=js GOARCH=wasm.
package main

//go:generate go tool vugugen -s -skip-go-mod
