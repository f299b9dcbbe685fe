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
// manifest.json (routes.Manifest). Files over 1 MB (the wasm) are
// compressed at -br-large (quality 11 by default, the smallest), in
// parallel, and -br-cache keeps their .br by content so an unchanged
// wasm is not compressed again. -add brings in files built elsewhere
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
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"

	"nceplay/chart"
	"nceplay/docs"
	"nceplay/server/routes"
)

// brLarge is the brotli quality for files over 1 MB (-br-large): 11, the
// smallest, is what the page wasm budget (wasm/README.md#budgets) is
// measured on; 9 is ~5x faster and 12% larger.
var brLarge = 11

// brCache is the folder that keeps the .br of the files over 1 MB by
// their content and quality (-br-cache; "" for none).
var brCache string

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
	flag.IntVar(&brLarge, "br-large", brLarge, "brotli quality (0-11) for files over 1 MB")
	flag.StringVar(&brCache, "br-cache", "", "folder keeping the brotli of files over 1 MB by content (e.g. build/brcache)")
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
	if err := pruneCache(); err != nil {
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
	for _, name := range sortedKeys(site.Manifest.Assets) {
		if path.Ext(name) != ".wasm" {
			continue
		}
		h := site.Manifest.Assets[name]
		fmt.Printf("webbuild: %s %.3f MB raw, %.3f MB brotli (quality %d)\n", name,
			float64(site.Manifest.Files[h].Size)/1e6, float64(len(site.Files[h+".br"]))/1e6, quality(len(site.Files[h])))
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
	var files []file
	for _, in := range ins {
		if in.name == routes.IndexName {
			index = in.data
			continue
		}
		if in.page {
			files = append(files, file{name: in.name, data: in.data})
			continue
		}
		sum := sha256.Sum256(in.data)
		name := hashedName(in.name, sum)
		s.Manifest.Assets[in.name] = name
		files = append(files, file{name: name, data: in.data, immutable: true})
	}
	if err := s.addAll(files); err != nil {
		return nil, err
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
	br, gz, err := compress(routes.IndexName, index)
	if err != nil {
		return nil, err
	}
	s.add(routes.IndexName, index, false, br, gz)
	return s, nil
}

// A file is one file of the site before compression.
type file struct {
	name      string
	data      []byte
	immutable bool
}

// addAll stores the files with s.add, compressing them on every core
// (the four wasm files take ~20 s each at quality 11).
func (s *Site) addAll(files []file) error {
	type result struct {
		br, gz []byte
		err    error
	}
	res := make([]result, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				res[i].br, res[i].gz, res[i].err = compress(files[i].name, files[i].data)
			}
		}()
	}
	// The largest first, so that a wasm does not start last.
	order := make([]int, len(files))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return len(files[order[a]].data) > len(files[order[b]].data) })
	for _, i := range order {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, f := range files {
		if res[i].err != nil {
			return fmt.Errorf("%s: %w", f.name, res[i].err)
		}
		s.add(f.name, f.data, f.immutable, res[i].br, res[i].gz)
	}
	return nil
}

// quality is the brotli quality for a file of n bytes: files over 1 MB
// get -br-large.
func quality(n int) int {
	if n > 1<<20 {
		return brLarge
	}
	return brotli.BestCompression
}

// compress returns the brotli and gzip of a compressible file of at least
// 256 bytes (nil, nil for others).
func compress(name string, data []byte) (br, gz []byte, err error) {
	if !routes.Compressible(name) || len(data) < 256 {
		return nil, nil, nil
	}
	if br, err = brotliOf(data, quality(len(data))); err != nil {
		return nil, nil, err
	}
	var gb bytes.Buffer
	gw, _ := gzip.NewWriterLevel(&gb, gzip.BestCompression)
	if _, err := gw.Write(data); err != nil {
		return nil, nil, err
	}
	if err := gw.Close(); err != nil {
		return nil, nil, err
	}
	return br, gb.Bytes(), nil
}

// brotliOf compresses data at quality q, through -br-cache for files
// over 1 MB: an entry is named by the SHA-256 of data and q, and used
// only if it decodes back to data.
func brotliOf(data []byte, q int) ([]byte, error) {
	var cached string
	if brCache != "" && len(data) > 1<<20 {
		sum := sha256.Sum256(data)
		cached = filepath.Join(brCache, fmt.Sprintf("%s-q%d.br", hex.EncodeToString(sum[:]), q))
		if b, err := os.ReadFile(cached); err == nil {
			if d, err := io.ReadAll(brotli.NewReader(bytes.NewReader(b))); err == nil && bytes.Equal(d, data) {
				now := time.Now()
				_ = os.Chtimes(cached, now, now) // in use: kept by pruneCache
				return b, nil
			}
		}
	}
	var br bytes.Buffer
	bw := brotli.NewWriterLevel(&br, q)
	if _, err := bw.Write(data); err != nil {
		return nil, err
	}
	if err := bw.Close(); err != nil {
		return nil, err
	}
	if cached != "" {
		if err := os.MkdirAll(brCache, 0o755); err != nil {
			return nil, err
		}
		tmp, err := os.CreateTemp(brCache, ".tmp-*")
		if err != nil {
			return nil, err
		}
		_, werr := tmp.Write(br.Bytes())
		cerr := tmp.Close()
		if werr == nil && cerr == nil {
			werr = os.Rename(tmp.Name(), cached)
		}
		if werr != nil || cerr != nil {
			os.Remove(tmp.Name())
			return nil, errors.Join(werr, cerr)
		}
	}
	return br.Bytes(), nil
}

// pruneCache removes the entries of -br-cache unused for a week.
func pruneCache() error {
	if brCache == "" {
		return nil
	}
	entries, err := os.ReadDir(brCache)
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		return err
	}
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil {
			return err
		}
		if time.Since(fi.ModTime()) > 7*24*time.Hour {
			if err := os.Remove(filepath.Join(brCache, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// add stores one file, its compressed siblings (kept when they save 10%)
// and its manifest entry.
func (s *Site) add(name string, data []byte, immutable bool, br, gz []byte) {
	sum := sha256.Sum256(data)
	f := routes.File{Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Immutable: immutable}
	s.Files[name] = data
	if br != nil && len(br) < len(data)*9/10 {
		s.Files[name+".br"] = br
		f.Encodings = append(f.Encodings, "br")
	}
	if gz != nil && len(gz) < len(data)*9/10 {
		s.Files[name+".gz"] = gz
		f.Encodings = append(f.Encodings, "gzip")
	}
	s.Manifest.Files[name] = f
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
