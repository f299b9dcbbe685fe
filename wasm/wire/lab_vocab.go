package wire

// A lab page's panels drawn in its worker (the large-vocabulary lab's,
// docs/spec.md#lab-vocab): the worker sends each chart as SVG markup, so
// that the page's wasm renders panels without the code that draws them.

// A LabPanel is a panel drawn in the worker: its name (the element's
// data-panel), heading, subtitle, body (HTML markup: its charts as <svg>
// elements) and captions (rich text: Full for the page, Short for an
// embed).
type LabPanel struct {
	Name, Title, Sub, Body string
	Full, Short            string
}
