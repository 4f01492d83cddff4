// A tiny HTTP server for the real-node end-to-end tests: it logs every request it serves (so a test
// can see the kubelet's probes in the container log) and answers with its own pod name.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	name, _ := os.Hostname()
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ready") })
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintf(w, "hello from %s\n", name) })
	logged := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// One line per request: method, path, the client's User-Agent (kube-probe/1.37 for probes).
		log.Printf("%s %s %q from %s", r.Method, r.URL.Path, r.UserAgent(), r.RemoteAddr)
		mux.ServeHTTP(w, r)
	})
	log.Printf("listening on :%s", port)
	log.Fatal(http.ListenAndServe(":"+port, logged))
}
