package routes

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"nceplay/core/spec"
)

// The embed's default iframe size (oEmbed's width and height when the
// consumer sets no maxwidth/maxheight); smaller maxima scale it down at
// the same aspect ratio.
const (
	EmbedWidth  = 800
	EmbedHeight = 500
	// minEmbedWidth is the smallest width offered: below it the panels
	// cannot be read, and the consumer's maximum is refused with 404 as
	// the oEmbed spec asks for a resource that cannot fit.
	minEmbedWidth = 160
)

// OEmbed is the oEmbed 1.0 response (type rich) of /oembed.
type OEmbed struct {
	Version         string `json:"version"`
	Type            string `json:"type"`
	ProviderName    string `json:"provider_name"`
	ProviderURL     string `json:"provider_url"`
	Title           string `json:"title"`
	HTML            string `json:"html"`
	Width           int    `json:"width"`
	Height          int    `json:"height"`
	CacheAge        int    `json:"cache_age"`
	ThumbnailURL    string `json:"thumbnail_url,omitempty"`
	ThumbnailWidth  int    `json:"thumbnail_width,omitempty"`
	ThumbnailHeight int    `json:"thumbnail_height,omitempty"`
}

// serveOEmbed answers /oembed?url=…[&maxwidth=&maxheight=&format=json] as
// the oEmbed spec asks: 400 for malformed input, 501 for a format other
// than json, 404 for a URL that is not a playground page of this site.
func (h *Handler) serveOEmbed(w http.ResponseWriter, r *http.Request) {
	bad := func(status int, title, msg string) { writeError(w, r, status, title, msg) }
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		bad(http.StatusBadRequest, "Bad request", "The query is not valid percent-encoding.")
		return
	}
	for k, v := range q {
		if len(v) > 1 {
			bad(http.StatusBadRequest, "Bad request", fmt.Sprintf("The parameter %q is given more than once.", sanitize(k, 20)))
			return
		}
	}
	switch f := q.Get("format"); f {
	case "", "json":
	default:
		bad(http.StatusNotImplemented, "Not implemented", fmt.Sprintf("The format %q is not offered; only json.", sanitize(f, 20)))
		return
	}
	raw := q.Get("url")
	if raw == "" {
		bad(http.StatusBadRequest, "Bad request", "The url parameter is required (a playground link).")
		return
	}
	maxW, err1 := dimension(q, "maxwidth")
	maxH, err2 := dimension(q, "maxheight")
	if err1 != nil || err2 != nil {
		bad(http.StatusBadRequest, "Bad request", fmt.Sprint(firstErr(err1, err2)))
		return
	}
	origin, err := h.origin(r)
	if err == nil && origin == "" {
		err = errNoOrigin
	}
	if err != nil {
		writeOriginError(w, r, err)
		return
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "" {
		bad(http.StatusBadRequest, "Bad request", "The url parameter is not an absolute http(s) URL.")
		return
	}
	own, _ := url.Parse(origin)
	if (u.Scheme != "http" && u.Scheme != "https") || !strings.EqualFold(u.Host, own.Host) || u.User != nil {
		bad(http.StatusNotFound, "Not found", fmt.Sprintf("The url is not on this site (%s).", origin))
		return
	}
	if p := u.EscapedPath(); p != "" && p != "/" && p != "/embed" {
		bad(http.StatusNotFound, "Not found", "The url is not a playground page (/ or /embed).")
		return
	}
	s, err := spec.Parse(u.RawQuery)
	if err != nil {
		bad(http.StatusBadRequest, "Bad request", "The url's experiment is invalid: "+specMessage(err))
		return
	}

	width, height := EmbedWidth, EmbedHeight
	scale := 1.0
	if maxW > 0 {
		scale = min(scale, float64(maxW)/EmbedWidth)
	}
	if maxH > 0 {
		scale = min(scale, float64(maxH)/EmbedHeight)
	}
	width, height = int(float64(width)*scale), int(float64(height)*scale)
	if width < minEmbedWidth {
		bad(http.StatusNotFound, "Not found", fmt.Sprintf("The embed cannot fit in %d×%d pixels.", maxW, maxH))
		return
	}
	embed := origin + "/embed"
	if c := s.Canonical(); c != "" {
		embed += "?" + c
	}
	title := Title(s)
	resp := OEmbed{
		Version:      "1.0",
		Type:         "rich",
		ProviderName: SiteName,
		ProviderURL:  origin + "/",
		Title:        title,
		HTML: fmt.Sprintf(`<iframe src="%s" width="%d" height="%d" title="%s" style="border:0" loading="lazy" allowfullscreen></iframe>`,
			html.EscapeString(embed), width, height, html.EscapeString(title)),
		Width:    width,
		Height:   height,
		CacheAge: 86400,
	}
	if (maxW == 0 || maxW >= PreviewWidth) && (maxH == 0 || maxH >= PreviewHeight) {
		resp.ThumbnailURL = previewURL(origin, s)
		resp.ThumbnailWidth, resp.ThumbnailHeight = PreviewWidth, PreviewHeight
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep the iframe markup readable
	enc.Encode(resp)
	body := buf.Bytes()
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeBody(w, r, http.StatusOK, "application/json; charset=utf-8", body)
}

// dimension parses an optional positive pixel count (0 when absent).
func dimension(q url.Values, key string) (int, error) {
	v, ok := q[key]
	if !ok {
		return 0, nil
	}
	n, err := strconv.Atoi(v[0])
	if err != nil || n <= 0 || n > 100000 {
		return 0, fmt.Errorf("%s must be a whole number of pixels in 1 … 100000, not %q", key, sanitize(v[0], 20))
	}
	return n, nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
