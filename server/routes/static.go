package routes

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// ManifestName is the name of the build's manifest in its folder.
const ManifestName = "manifest.json"

// IndexName is the page template in the build folder.
const IndexName = "index.html"

// A Manifest describes a built site (written by cmd/webbuild): every file
// the server may serve, by its name in the build folder. A file outside
// the manifest is never served, whatever the URL.
type Manifest struct {
	Version int `json:"version"`
	// Files maps each servable file's name ("index.html",
	// "style.0123456789ab.css") to its description.
	Files map[string]File `json:"files"`
	// Assets maps each source name ("style.css") to its built,
	// content-hashed name, for code that must find a file by its source
	// name (index.html's references are rewritten already).
	Assets map[string]string `json:"assets"`
}

// A File is one servable file of a Manifest.
type File struct {
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"` // hex SHA-256 of the file's bytes
	// Immutable is true for content-hashed names: a URL's bytes never
	// change, so clients may cache it for a year without revalidating.
	Immutable bool `json:"immutable"`
	// Encodings lists the precompressed siblings beside the file, by
	// Content-Encoding: "br" is name+".br", "gzip" is name+".gz".
	Encodings []string `json:"encodings,omitempty"`
}

// encodingSuffix maps a Content-Encoding to its precompressed file suffix.
var encodingSuffix = map[string]string{"br": ".br", "gzip": ".gz"}

// contentTypes are the Content-Types of the build's files, by extension.
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".json":        "application/json",
	".map":         "application/json",
	".webmanifest": "application/manifest+json",
	".wasm":        "application/wasm",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".webp":        "image/webp",
	".ico":         "image/x-icon",
	".txt":         "text/plain; charset=utf-8",
	".woff2":       "font/woff2",
	".woff":        "font/woff",
}

// ContentType returns the Content-Type of a build file by its extension;
// application/octet-stream for an unknown one.
func ContentType(name string) string {
	if t, ok := contentTypes[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	return "application/octet-stream"
}

// Compressible reports whether a file of this name is worth precompressing
// (text, JSON, SVG and WebAssembly).
func Compressible(name string) bool {
	t := ContentType(name)
	return strings.HasPrefix(t, "text/") || strings.Contains(t, "json") ||
		t == "application/wasm" || t == "image/svg+xml"
}

// site is a loaded build: its manifest and its page template.
type site struct {
	fsys     fs.FS
	manifest Manifest
	index    []byte
	etags    map[string]string // file name → base ETag (quoted)
}

// loadSite reads the manifest of fsys, or, when there is none (a plain
// folder in development), builds one that lists every regular file at
// the top level as revalidated. The page template is index.html.
func loadSite(fsys fs.FS) (*site, error) {
	s := &site{fsys: fsys, etags: map[string]string{}}
	b, err := fs.ReadFile(fsys, ManifestName)
	switch {
	case err == nil:
		if err := json.Unmarshal(b, &s.manifest); err != nil {
			return nil, fmt.Errorf("routes: %s: %w", ManifestName, err)
		}
		if s.manifest.Version != 1 {
			return nil, fmt.Errorf("routes: %s: version %d, want 1", ManifestName, s.manifest.Version)
		}
	case errors.Is(err, fs.ErrNotExist):
		s.manifest, err = scanDir(fsys)
		if err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("routes: %w", err)
	}
	for name, f := range s.manifest.Files {
		if !validName(name) {
			return nil, fmt.Errorf("routes: %s lists %q, which is not a plain file name", ManifestName, name)
		}
		for _, enc := range f.Encodings {
			if encodingSuffix[enc] == "" {
				return nil, fmt.Errorf("routes: %s: %q has unknown encoding %q", ManifestName, name, enc)
			}
		}
		s.etags[name] = `"` + f.SHA256[:min(16, len(f.SHA256))] + `"`
	}
	if _, ok := s.manifest.Files[IndexName]; !ok {
		return nil, fmt.Errorf("routes: the site has no %s (build it with `make site`)", IndexName)
	}
	s.index, err = fs.ReadFile(fsys, IndexName)
	if err != nil {
		return nil, fmt.Errorf("routes: %w", err)
	}
	return s, nil
}

// validName reports whether name is a file name the server may serve: a
// non-empty path of plain segments (no "." or "..", no backslash, no
// control characters), not hidden.
func validName(name string) bool {
	if name == "" || !fs.ValidPath(name) || strings.ContainsAny(name, "\\%") {
		return false
	}
	for _, seg := range strings.Split(name, "/") {
		if strings.HasPrefix(seg, ".") {
			return false
		}
		for _, r := range seg {
			if r < 0x20 || r == 0x7f {
				return false
			}
		}
	}
	return true
}

// scanDir lists the top-level regular files of fsys as a Manifest (for a
// development folder without one): nothing immutable, no encodings.
func scanDir(fsys fs.FS) (Manifest, error) {
	m := Manifest{Version: 1, Files: map[string]File{}, Assets: map[string]string{}}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return m, fmt.Errorf("routes: %w", err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !validName(e.Name()) || e.Name() == ManifestName {
			continue
		}
		b, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return m, fmt.Errorf("routes: %w", err)
		}
		sum := sha256.Sum256(b)
		m.Files[e.Name()] = File{Size: int64(len(b)), SHA256: hex.EncodeToString(sum[:])}
		m.Assets[e.Name()] = e.Name()
	}
	return m, nil
}

// serveFile serves the build file name (a key of the manifest) with the
// representation chosen by Accept-Encoding, ETag revalidation (304),
// Range and HEAD (http.ServeContent does those).
func (s *site) serveFile(w http.ResponseWriter, r *http.Request, name string) {
	f := s.manifest.Files[name]
	enc := negotiate(r.Header.Values("Accept-Encoding"), f.Encodings)
	file, etag := name, s.etags[name]
	h := w.Header()
	if len(f.Encodings) > 0 {
		h.Set("Vary", "Accept-Encoding")
	}
	if enc != "" {
		file += encodingSuffix[enc]
		etag = etag[:len(etag)-1] + "-" + enc + `"`
		h.Set("Content-Encoding", enc)
	}
	h.Set("Content-Type", ContentType(name))
	h.Set("ETag", etag)
	if f.Immutable {
		h.Set("Cache-Control", ImmutableCache)
	} else {
		h.Set("Cache-Control", RevalidateCache)
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, s.etags[name]) {
		// Any representation of the same bytes is fresh; ServeContent
		// would compare against this representation's tag only.
		h.Del("Content-Encoding")
		h.Del("Content-Type")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	b, err := s.open(file)
	if err != nil {
		// The manifest promised the file: the build is broken.
		writeError(w, r, http.StatusNotFound, "Not found", fmt.Sprintf("The build lists %s but does not hold it; rebuild the site.", file))
		return
	}
	http.ServeContent(w, r, "", time.Time{}, b)
}

// open returns a seekable reader for the build file name.
func (s *site) open(name string) (io.ReadSeeker, error) {
	f, err := s.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	if rs, ok := f.(io.ReadSeeker); ok {
		return rs, nil // embed.FS and os files are seekable; closed by GC
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	return bytes.NewReader(b), err
}

// etagMatch reports whether an If-None-Match value matches the base ETag
// tag (quoted) or one of its encoded variants, by weak comparison.
func etagMatch(inm, tag string) bool {
	base := strings.Trim(tag, `"`)
	for t := range strings.SplitSeq(inm, ",") {
		t = strings.TrimSpace(t)
		if t == "*" {
			return true
		}
		t = strings.Trim(strings.TrimPrefix(t, "W/"), `"`)
		if t == base || strings.HasPrefix(t, base+"-") && encodingSuffix[t[len(base)+1:]] != "" {
			return true
		}
	}
	return false
}

// negotiate picks the Content-Encoding for a file that has precompressed
// siblings avail, from the request's Accept-Encoding values: the
// acceptable one with the highest q (br before gzip before identity on a
// tie), or "" for the identity. A coding with q=0 is refused; "*" stands
// for every coding not named.
func negotiate(accept []string, avail []string) string {
	if len(avail) == 0 {
		return ""
	}
	q := map[string]float64{}
	star := -1.0
	for _, v := range accept {
		for part := range strings.SplitSeq(v, ",") {
			name, params, _ := strings.Cut(part, ";")
			name = strings.ToLower(strings.TrimSpace(name))
			if name == "" {
				continue
			}
			qv := 1.0
			for p := range strings.SplitSeq(params, ";") {
				k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
					f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
					if err != nil || f < 0 || f > 1 {
						f = 0
					}
					qv = f
				}
			}
			if name == "*" {
				star = qv
			} else {
				q[name] = qv
			}
		}
	}
	best, bestQ := "", 0.0
	for _, enc := range []string{"br", "gzip"} {
		if !contains(avail, enc) {
			continue
		}
		v, ok := q[enc]
		if !ok {
			if enc == "gzip" {
				if xq, ok := q["x-gzip"]; ok {
					v = xq
				} else {
					v = max(star, 0)
				}
			} else {
				v = max(star, 0)
			}
		}
		if v > bestQ {
			best, bestQ = enc, v
		}
	}
	if best == "" {
		return ""
	}
	if idq, ok := q["identity"]; ok && idq > bestQ {
		return ""
	}
	return best
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
