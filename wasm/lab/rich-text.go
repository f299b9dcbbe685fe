package main

// RichText shows a text of the project (a caption, a preset's story, an
// explanation) with its citations as links to the docs (view.Rich).
type RichText struct {
	T string
}
