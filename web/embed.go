// Package web holds the playground's built site, embedded in the Go
// server's binary. cmd/webbuild writes it into web/site (`make site`);
// on a clean clone web/site holds only its .gitignore, and Site reports
// that the site is not built.
package web

import (
	"embed"
	"errors"
	"io/fs"
)

//go:embed all:site
var site embed.FS

// Site returns the built site: manifest.json, index.html and the
// content-hashed files, with their .br and .gz siblings.
func Site() (fs.FS, error) {
	sub, err := fs.Sub(site, "site")
	if err != nil {
		return nil, err
	}
	if _, err := fs.Stat(sub, "manifest.json"); err != nil {
		return nil, errors.New("web: the site is not built into this binary (run `make site`, then rebuild)")
	}
	return sub, nil
}
