// Command webbuild turns the playground's static sources into the built
// site that both hosts serve (server/routes):
//
//	webbuild [-src web/static] [-o web/site] [-add file]... \
//	         [-worker-assets dir] [-worker-page file]
//
// Every file but index.html gets a content-hashed name
// (style.css → style.0123456789ab.css) and is served immutable;
// index.html's src= and href= references are rewritten to those names.
// Beside each compressible file it writes a brotli (.br) and a gzip (.gz)
// sibling when they are smaller, and it lists everything in
// manifest.json (routes.Manifest). -add brings in files built elsewhere
// (the UI's .wasm, Go's wasm_exec.js) as if they were in -src, and
// webbuild generates palette.css from package chart.
//
// -worker-assets writes the Cloudflare Worker's static assets folder: the
// hashed files and a `_headers` file with the same headers the Go server
// sends (Cloudflare compresses at the edge, so no .br/.gz). -worker-page
// writes the rewritten index.html for the Worker to embed.
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/andybalholm/brotli"

	"nceplay/chart"
	"nceplay/docs"
	"nceplay/server/routes"
)

// brLarge is the brotli quality for files over 1 MB (-br-large).
var brLarge = 9

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

func main() {
	var (
		src, out, workerAssets, workerPage string
		add                                multi
	)
	flag.StringVar(&src, "src", "web/static", "folder of static sources")
	flag.StringVar(&out, "o", "web/site", "output folder (its files are replaced; its .gitignore is kept)")
	flag.Var(&add, "add", "extra file to include (repeatable), e.g. the UI's .wasm or wasm_exec.js")
	flag.StringVar(&workerAssets, "worker-assets", "", "also write the Worker's static assets folder (replaced)")
	flag.StringVar(&workerPage, "worker-page", "", "also write the rewritten index.html here, for the Worker")
	flag.IntVar(&brLarge, "br-large", brLarge, "brotli quality (0-11) for files over 1 MB; 11 for a release")
	flag.Parse()
	if err := run(src, out, add, workerAssets, workerPage); err != nil {
		fmt.Fprintln(os.Stderr, "webbuild:", err)
		os.Exit(1)
	}
}

// input is one source file.
type input struct {
	name string // name in the site ("style.css", "img/logo.svg")
	data []byte
	// page keeps the name unhashed and the file revalidated: a page that
	// links point at (docs/math.html), not an asset of index.html.
	page bool
}

func run(src, out string, add []string, workerAssets, workerPage string) error {
	ins, err := readInputs(src, add)
	if err != nil {
		return err
	}
	site, err := Build(ins)
	if err != nil {
		return err
	}
	if err := writeSite(out, site); err != nil {
		return err
	}
	fmt.Printf("webbuild: %s: %d files\n", out, len(site.Manifest.Files))
	for _, name := range sortedKeys(site.Manifest.Files) {
		f := site.Manifest.Files[name]
		line := fmt.Sprintf("  %-40s %9d", name, f.Size)
		for _, enc := range f.Encodings {
			line += fmt.Sprintf("  %s %d", enc, len(site.Files[name+map[string]string{"br": ".br", "gzip": ".gz"}[enc]]))
		}
		fmt.Println(line)
	}
	if workerAssets != "" {
		if err := writeWorkerAssets(workerAssets, site); err != nil {
			return err
		}
	}
	if workerPage != "" {
		if err := os.MkdirAll(filepath.Dir(workerPage), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(workerPage, site.Files[routes.IndexName], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// readInputs reads every regular, non-hidden file under src and the
// -add files (by base name).
func readInputs(src string, add []string) ([]input, error) {
	var ins []input
	seen := map[string]bool{}
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if strings.HasPrefix(d.Name(), ".") && rel != "." {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		name := filepath.ToSlash(rel)
		seen[name] = true
		ins = append(ins, input{name: name, data: b})
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, a := range add {
		b, err := os.ReadFile(a)
		if err != nil {
			return nil, err
		}
		name := filepath.Base(a)
		if seen[name] {
			return nil, fmt.Errorf("-add %s: %s is already in the sources", a, name)
		}
		seen[name] = true
		ins = append(ins, input{name: name, data: b})
	}
	gen, err := generated()
	if err != nil {
		return nil, err
	}
	for _, g := range gen {
		if seen[g.name] {
			return nil, fmt.Errorf("%s is generated; remove it from the sources", g.name)
		}
		ins = append(ins, g)
	}
	return ins, nil
}

// generated returns the files webbuild writes itself: palette.css, the
// colours of package chart as CSS variables, and the project's documents
// (docs/*.md) as pages with MathML, docs/<name>.html, which the site's
// captions and help link to (view.DocHref).
func generated() ([]input, error) {
	ins := []input{{name: PaletteName, data: []byte(chart.CSS())}}
	for _, name := range docs.Names() {
		page, err := docs.Render(name)
		if err != nil {
			return nil, err
		}
		ins = append(ins, input{name: DocsDir + "/" + name + ".html", data: page, page: true})
	}
	return ins, nil
}

// DocsDir is the site's folder of rendered documents.
const DocsDir = "docs"

// PaletteName is the generated stylesheet of the palette.
const PaletteName = "palette.css"

// A Site is a built site in memory: its files by name (with the .br and
// .gz siblings) and its manifest.
type Site struct {
	Files    map[string][]byte
	Manifest routes.Manifest
}

// hashedName inserts the first 12 hex digits of sum before name's
// extension: "app.wasm" → "app.0123456789ab.wasm".
func hashedName(name string, sum [32]byte) string {
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext
}

// refRE matches src= and href= attribute values in index.html.
var refRE = regexp.MustCompile(`(?i)(\b(?:src|href)\s*=\s*)("([^"]*)"|'([^']*)')`)

// Build hashes, rewrites and compresses the inputs.
func Build(ins []input) (*Site, error) {
	s := &Site{Files: map[string][]byte{}, Manifest: routes.Manifest{Version: 1, Files: map[string]routes.File{}, Assets: map[string]string{}}}
	var index []byte
	for _, in := range ins {
		if in.name == routes.IndexName {
			index = in.data
			continue
		}
		if in.page {
			if err := s.add(in.name, in.data, false); err != nil {
				return nil, err
			}
			continue
		}
		sum := sha256.Sum256(in.data)
		name := hashedName(in.name, sum)
		s.Manifest.Assets[in.name] = name
		if err := s.add(name, in.data, true); err != nil {
			return nil, err
		}
	}
	if index == nil {
		return nil, fmt.Errorf("the sources have no %s", routes.IndexName)
	}
	index = refRE.ReplaceAllFunc(index, func(m []byte) []byte {
		sub := refRE.FindSubmatch(m)
		val, q := string(sub[3]), `"`
		if sub[3] == nil {
			val, q = string(sub[4]), `'`
		}
		prefix := ""
		for _, p := range []string{"./", "/"} {
			if strings.HasPrefix(val, p) {
				prefix, val = p, val[len(p):]
				break
			}
		}
		hashed, ok := s.Manifest.Assets[val]
		if !ok {
			return m
		}
		return []byte(string(sub[1]) + q + prefix + hashed + q)
	})
	if err := routes.CheckTemplate(index); err != nil {
		return nil, err
	}
	if err := s.add(routes.IndexName, index, false); err != nil {
		return nil, err
	}
	return s, nil
}

// add stores one file, its compressed siblings and its manifest entry.
func (s *Site) add(name string, data []byte, immutable bool) error {
	sum := sha256.Sum256(data)
	f := routes.File{Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Immutable: immutable}
	s.Files[name] = data
	if routes.Compressible(name) && len(data) >= 256 {
		var br, gz bytes.Buffer
		// Quality 11 is ~10× slower than 9 (40 s against 4 s for an
		// 8 MB wasm, for 12% less): files over 1 MB get -br-large.
		level := brotli.BestCompression
		if len(data) > 1<<20 {
			level = brLarge
		}
		bw := brotli.NewWriterLevel(&br, level)
		if _, err := bw.Write(data); err != nil {
			return err
		}
		if err := bw.Close(); err != nil {
			return err
		}
		gw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		if _, err := gw.Write(data); err != nil {
			return err
		}
		if err := gw.Close(); err != nil {
			return err
		}
		if br.Len() < len(data)*9/10 {
			s.Files[name+".br"] = br.Bytes()
			f.Encodings = append(f.Encodings, "br")
		}
		if gz.Len() < len(data)*9/10 {
			s.Files[name+".gz"] = gz.Bytes()
			f.Encodings = append(f.Encodings, "gzip")
		}
	}
	s.Manifest.Files[name] = f
	return nil
}

// clearDir removes everything in dir but its .gitignore, creating dir if
// needed.
func clearDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() == ".gitignore" {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(dir, name string, data []byte) error {
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}

func writeSite(out string, s *Site) error {
	if err := clearDir(out); err != nil {
		return err
	}
	for name, data := range s.Files {
		if err := writeFile(out, name, data); err != nil {
			return err
		}
	}
	m, err := json.MarshalIndent(s.Manifest, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(out, routes.ManifestName, append(m, '\n'))
}

// writeWorkerAssets writes the hashed files and `_headers`.
func writeWorkerAssets(dir string, s *Site) error {
	if err := clearDir(dir); err != nil {
		return err
	}
	var paths []string
	for name, f := range s.Manifest.Files {
		if !f.Immutable {
			continue
		}
		if err := writeFile(dir, name, s.Files[name]); err != nil {
			return err
		}
		paths = append(paths, "/"+name)
	}
	hf, err := routes.HeadersFile(paths)
	if err != nil {
		return err
	}
	return writeFile(dir, "_headers", []byte(hf))
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
