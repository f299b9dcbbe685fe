package routes

import (
	"html"
	"net/http"
	"strconv"
	"strings"
	"unicode"
)

// writeBody writes a complete response: status, Content-Type and
// Content-Length, and the body unless the request is HEAD.
func writeBody(w http.ResponseWriter, r *http.Request, status int, contentType string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// writeError answers with an error status and a message that says what
// was wrong: a small HTML page, or plain text for the machine routes
// (/oembed, /preview.png). Errors are never cached by shared caches.
func writeError(w http.ResponseWriter, r *http.Request, status int, title, msg string) {
	w.Header().Set("Cache-Control", "no-store")
	for _, k := range []string{"ETag", "Content-Encoding", "Vary", "Last-Modified"} {
		w.Header().Del(k)
	}
	switch r.URL.Path {
	case "/oembed", "/preview.png":
		writeBody(w, r, status, "text/plain; charset=utf-8",
			[]byte(strconv.Itoa(status)+" "+title+": "+msg+"\n"))
		return
	}
	var b strings.Builder
	b.WriteString("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
	b.WriteString("<meta name=\"robots\" content=\"noindex\">")
	b.WriteString("<title>" + strconv.Itoa(status) + " " + html.EscapeString(title) + " · NCE Playground</title></head>\n")
	b.WriteString("<body style=\"font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem\">\n")
	b.WriteString("<h1>" + strconv.Itoa(status) + " " + html.EscapeString(title) + "</h1>\n")
	b.WriteString("<p>" + html.EscapeString(msg) + "</p>\n")
	b.WriteString("<p><a href=\"/\">Open the NCE Playground</a></p>\n</body></html>\n")
	writeBody(w, r, status, "text/html; charset=utf-8", []byte(b.String()))
}

// sanitize keeps the printable characters of a user-supplied s, cut to n
// runes plus "…", for echoing in a message.
func sanitize(s string, n int) string {
	var b strings.Builder
	i := 0
	for _, r := range s {
		if !unicode.IsPrint(r) {
			continue
		}
		if i == n {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
		i++
	}
	return b.String()
}
