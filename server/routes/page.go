package routes

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"nceplay/core/spec"
	"nceplay/server/preview"
)

// The page template's marker contract (web/static/index.html): the build's
// index.html holds, inside <head>, exactly one MetaStart … MetaEnd pair.
// The server replaces the pair and everything between them with the
// per-experiment <title>, description, Open Graph and Twitter card tags,
// the canonical link and the oEmbed discovery link. Whatever the template
// holds between them (its static <title>) is what a browser shows when
// the file is opened without the server.
const (
	MetaStart = "<!--nce:meta-->"
	MetaEnd   = "<!--/nce:meta-->"
)

// SiteName is the playground's name in titles and cards.
const SiteName = "NCE Playground"

// Preview image size (Open Graph's recommended 1.91:1).
const (
	PreviewWidth  = 1200
	PreviewHeight = 630
)

// CheckTemplate reports whether tpl keeps the marker contract.
func CheckTemplate(tpl []byte) error {
	_, _, err := splitTemplate(tpl)
	return err
}

// splitTemplate returns the page template's parts before and after the
// marker pair, or an error naming the contract.
func splitTemplate(tpl []byte) (before, after []byte, err error) {
	i := bytes.Index(tpl, []byte(MetaStart))
	j := bytes.Index(tpl, []byte(MetaEnd))
	head := bytes.Index(tpl, []byte("</head>"))
	switch {
	case i < 0 || j < i:
		return nil, nil, fmt.Errorf("routes: index.html must contain %s … %s inside <head>", MetaStart, MetaEnd)
	case bytes.Count(tpl, []byte(MetaStart)) != 1 || bytes.Count(tpl, []byte(MetaEnd)) != 1:
		return nil, nil, fmt.Errorf("routes: index.html must contain %s … %s exactly once", MetaStart, MetaEnd)
	case head >= 0 && j > head:
		return nil, nil, fmt.Errorf("routes: index.html's %s … %s must be inside <head>", MetaStart, MetaEnd)
	}
	return tpl[:i], tpl[j+len(MetaEnd):], nil
}

// servePage serves / and /embed: the page template with the tags of the
// experiment in the query. An invalid spec still gets the page (the app
// shows the error and runs the defaults for the bad keys, docs/spec.md#rules), with
// status 400 and the error as its description.
func (h *Handler) servePage(w http.ResponseWriter, r *http.Request) {
	origin, err := h.origin(r)
	if err != nil {
		writeOriginError(w, r, err)
		return
	}
	s, specErr := spec.Parse(r.URL.RawQuery)
	before, after, _ := splitTemplate(h.currentSite().index)

	var meta string
	status := http.StatusOK
	switch {
	case specErr != nil:
		status = http.StatusBadRequest
		meta = errorMeta(specErr)
	case origin == "":
		// A host this server makes no links for: the page, without the
		// tags that need absolute links.
		meta = plainMeta(s)
	default:
		meta = pageMeta(origin, s)
	}
	body := make([]byte, 0, len(before)+len(meta)+len(after))
	body = append(append(append(body, before...), meta...), after...)

	sum := sha256.Sum256(body)
	etag := `"p-` + hex.EncodeToString(sum[:8]) + `"`
	hd := w.Header()
	hd.Set("ETag", etag)
	hd.Set("Cache-Control", RevalidateCache)
	if status == http.StatusOK {
		if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	} else {
		hd.Set("Cache-Control", "no-store")
		hd.Del("ETag")
	}
	writeBody(w, r, status, "text/html; charset=utf-8", body)
}

// origin returns the scheme and host that absolute links use (see
// Config.PublicURL): the request's own (an absolute request URL, as the
// Worker gets, or r.TLS and r.Host) when Config.TrustHost is set or, in
// development, when its host is loopback; else Config.PublicURL; else ""
// (no links). Its error, for a malformed host, is an *originError (400).
func (h *Handler) origin(r *http.Request) (string, error) {
	scheme, host := "http", r.Host
	if r.TLS != nil {
		scheme = "https"
	}
	if r.URL.IsAbs() {
		scheme, host = r.URL.Scheme, r.URL.Host
	}
	if !validHost(host) {
		return "", &originError{http.StatusBadRequest, fmt.Sprintf("The Host header %q is not a valid host name.", sanitize(host, 60))}
	}
	switch {
	case h.cfg.TrustHost:
		return scheme + "://" + host, nil
	case (h.public == "" || isLoopback(hostOnly(h.public))) && isLoopback(hostOnly(host)):
		return scheme + "://" + host, nil
	}
	return h.public, nil
}

// errNoOrigin is why /oembed answers 421 on a server that makes no links
// for the request's host.
var errNoOrigin = &originError{http.StatusMisdirectedRequest,
	"This server makes links only for loopback hosts until its operator sets its public origin (nceserver -public-url)."}

// originError is origin's error, with the status to answer.
type originError struct {
	status int
	msg    string
}

func (e *originError) Error() string { return e.msg }

// writeOriginError answers origin's error.
func writeOriginError(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusBadRequest
	var oe *originError
	if errors.As(err, &oe) {
		status = oe.status
	}
	writeError(w, r, status, http.StatusText(status), err.Error())
}

// hostOnly returns the host of "host:port", "[v6]:port" or a bare host,
// or of an origin "scheme://host[:port]".
func hostOnly(hostport string) string {
	if i := strings.Index(hostport, "://"); i >= 0 {
		hostport = hostport[i+3:]
	}
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return strings.Trim(hostport, "[]")
}

// isLoopback reports whether host (without a port) is "localhost" or a
// loopback address (127.0.0.0/8, ::1).
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// parseOrigin checks an origin like "https://nce.example" (a trailing '/'
// is dropped).
func parseOrigin(s string) (string, error) {
	u, err := url.Parse(strings.TrimSuffix(s, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !validHost(u.Host) || u.Path != "" || u.RawQuery != "" {
		return "", fmt.Errorf("routes: PublicURL %q must be an origin like https://nce.example", s)
	}
	return u.Scheme + "://" + u.Host, nil
}

// validHost accepts host names, IPv4 and bracketed IPv6 addresses, with
// an optional port.
func validHost(h string) bool {
	if h == "" || len(h) > 255 {
		return false
	}
	for _, c := range h {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '.', c == '-', c == ':', c == '[', c == ']', c == '_':
		default:
			return false
		}
	}
	return true
}

// pageURL returns the canonical playground URL of s.
func pageURL(origin string, s spec.Spec) string {
	if q := s.Canonical(); q != "" {
		return origin + "/?" + q
	}
	return origin + "/"
}

// previewURL returns the URL of s's preview image.
func previewURL(origin string, s spec.Spec) string {
	if q := s.ExperimentQuery(); q != "" {
		return origin + "/preview.png?" + q
	}
	return origin + "/preview.png"
}

// oembedURL returns the oEmbed endpoint for the page at pageURL.
func oembedURL(origin, page string) string {
	return origin + "/oembed?format=json&url=" + url.QueryEscape(page)
}

// pageMeta returns the head tags for a valid spec.
func pageMeta(origin string, s spec.Spec) string {
	title := Title(s)
	desc := Description(s)
	page := pageURL(origin, s)
	img := previewURL(origin, s)
	var b strings.Builder
	tag := func(attr, name, content string) {
		fmt.Fprintf(&b, "<meta %s=\"%s\" content=\"%s\">\n", attr, name, html.EscapeString(content))
	}
	fmt.Fprintf(&b, "<title>%s</title>\n", html.EscapeString(title))
	tag("name", "description", desc)
	fmt.Fprintf(&b, "<link rel=\"canonical\" href=\"%s\">\n", html.EscapeString(page))
	tag("property", "og:type", "website")
	tag("property", "og:site_name", SiteName)
	tag("property", "og:title", title)
	tag("property", "og:description", desc)
	tag("property", "og:url", page)
	tag("property", "og:image", img)
	tag("property", "og:image:type", "image/png")
	tag("property", "og:image:width", strconv.Itoa(PreviewWidth))
	tag("property", "og:image:height", strconv.Itoa(PreviewHeight))
	tag("property", "og:image:alt", "Density panel: the data density p̃ and the model's p̂ for "+Summary(s))
	tag("name", "twitter:card", "summary_large_image")
	tag("name", "twitter:title", title)
	tag("name", "twitter:description", desc)
	tag("name", "twitter:image", img)
	fmt.Fprintf(&b, "<link rel=\"alternate\" type=\"application/json+oembed\" href=\"%s\" title=\"%s\">\n",
		html.EscapeString(oembedURL(origin, page)), html.EscapeString(title))
	return b.String()
}

// plainMeta returns the head tags of a valid spec that need no absolute
// link: the title and the description.
func plainMeta(s spec.Spec) string {
	return fmt.Sprintf("<title>%s</title>\n<meta name=\"description\" content=\"%s\">\n",
		html.EscapeString(Title(s)), html.EscapeString(Description(s)))
}

// errorMeta returns the head tags for an invalid spec.
func errorMeta(err error) string {
	msg := specMessage(err)
	return fmt.Sprintf("<title>%s · invalid experiment</title>\n<meta name=\"description\" content=\"%s\">\n<meta name=\"robots\" content=\"noindex\">\n",
		SiteName, html.EscapeString(msg))
}

// specMessage returns a spec error's message on one line.
func specMessage(err error) string {
	var es spec.Errors
	if errors.As(err, &es) && len(es) > 1 {
		return es[0].Error() + fmt.Sprintf(" (and %d more)", len(es)-1)
	}
	return strings.ReplaceAll(err.Error(), "\n", "; ")
}

// Summary names an experiment in a few words: "quartic · poly deg 4 · nce k=10".
func Summary(s spec.Spec) string {
	sum := fmt.Sprintf("%s · %s · %s k=%d", s.Target, s.ModelInfo().Summary(s.Shape()), s.Obj, s.K)
	if preview.NeedsFile(s) { // its points are not in the link (docs/spec.md#data-file)
		sum = preview.NeedsFileText(s) + " · " + sum
	}
	return sum
}

// Title is the page and card title of an experiment.
func Title(s spec.Spec) string {
	return SiteName + ": " + Summary(s)
}

// Description is the card description of an experiment: one sentence
// built from the spec.
func Description(s spec.Spec) string {
	obj := s.Objective()
	norm := ""
	if obj.Scalar {
		if s.Norm == spec.NormFixed {
			norm = ", c fixed to 0"
		} else {
			norm = ", learning c ≈ log Z"
		}
	}
	opt := s.Opt
	if spec.Lookup("lr").Relevant(&s) { // not for Newton's method, which takes no learning rate
		opt += " lr " + strconv.FormatFloat(s.LR, 'g', -1, 64)
	}
	data := fmt.Sprintf("the %dD %s data", s.Dim(), s.Target)
	if preview.NeedsFile(s) {
		n, _ := spec.DataFileSize(s.DataFile)
		data = fmt.Sprintf("a %dD data set of %d points in data file %s, which the link names but does not carry (the page asks for the file),", s.Dim(), n, s.DataFile)
	}
	return fmt.Sprintf("Fit %s with a %s energy model by %s against %s noise (k = %d%s), %s, %d steps, seed %d. Watch p̂ approach p̃ live in your browser.",
		data, s.ModelInfo().Phrase(s.Shape()), obj.Phrase, s.Noise, s.K, norm, opt, s.Steps, s.Seed)
}
