// Command serve serves a built site (cmd/webbuild's output) with the
// playground's routes (server/routes) on a local address, for `make run`
// and the browser tests. It binds to 127.0.0.1 by default.
package main

import (
	"flag"
	"log"
	"net/http"
	"os"

	"nceplay/server/routes"
)

func main() {
	dir := flag.String("dir", "web/dist", "the built site")
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	flag.Parse()
	h, err := routes.New(routes.Config{Static: os.DirFS(*dir), Reload: true})
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("NCE Playground on http://%s/", *addr)
	log.Fatal(http.ListenAndServe(*addr, h))
}
