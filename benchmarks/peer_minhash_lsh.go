// peer_minhash_lsh.go: side-by-side peer, the Go MinHash LSH library by
// datasketch's author (github.com/ekzhu/minhash-lsh, Debian package
// golang-github-ekzhu-minhash-lsh-dev), run as its README shows on the same
// JSONL corpus reprint indexes: 128 hash functions, word 3-grams of the
// lower-cased text (as benchmarks/peer_datasketch.py makes them), threshold
// 0.5. It signs, buckets and queries every article against the index; it
// verifies nothing. Prints seconds for reading, signing, indexing and the
// query pass, the candidate pairs found and the peak RSS.
//
// Built by `make bench` in GOPATH mode against the Debian package:
//   GO111MODULE=off GOPATH=/usr/share/gocode go build -o OUT peer_minhash_lsh.go
// Usage: peer_minhash_lsh CORPUS.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"

	minhashlsh "github.com/ekzhu/minhash-lsh"
)

type record struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

func shingles(text string) map[string]struct{} {
	words := strings.Fields(strings.ToLower(text))
	out := make(map[string]struct{})
	if len(words) < 3 {
		if len(words) > 0 {
			out[strings.Join(words, " ")] = struct{}{}
		}
		return out
	}
	for i := 0; i+3 <= len(words); i++ {
		out[strings.Join(words[i:i+3], " ")] = struct{}{}
	}
	return out
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: peer_minhash_lsh CORPUS.jsonl")
		os.Exit(2)
	}
	start := time.Now()
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "peer_minhash_lsh:", err)
		os.Exit(3)
	}
	var ids, texts []string
	nbytes := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	for sc.Scan() {
		var r record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			fmt.Fprintf(os.Stderr, "peer_minhash_lsh: %s: %v\n", os.Args[1], err)
			os.Exit(3)
		}
		ids = append(ids, r.ID)
		texts = append(texts, r.Text)
		nbytes += len(r.Text)
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(os.Stderr, "peer_minhash_lsh: %s: %v\n", os.Args[1], err)
		os.Exit(3)
	}
	f.Close()
	t0 := time.Now()
	const numHash = 128
	sigs := make([][]uint64, len(texts))
	for i, text := range texts {
		m := minhashlsh.NewMinhash(1, numHash)
		for s := range shingles(text) {
			m.Push([]byte(s))
		}
		sigs[i] = m.Signature()
	}
	t1 := time.Now()
	lsh := minhashlsh.NewMinhashLSH64(numHash, 0.5)
	for i, sig := range sigs {
		lsh.Add(ids[i], sig)
	}
	lsh.Index()
	t2 := time.Now()
	pairs := make(map[[2]string]struct{})
	for i, sig := range sigs {
		for _, o := range lsh.Query(sig) {
			other := o.(string)
			if other == ids[i] {
				continue
			}
			a, b := ids[i], other
			if b < a {
				a, b = b, a
			}
			pairs[[2]string{a, b}] = struct{}{}
		}
	}
	t3 := time.Now()
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	fmt.Printf("minhash-lsh (Go): %d articles, %d bytes of text\n", len(texts), nbytes)
	fmt.Printf("minhash-lsh read: %.2f s; sign: %.2f s; index: %.2f s; query all: %.2f s; candidate pairs: %d\n",
		t0.Sub(start).Seconds(), t1.Sub(t0).Seconds(), t2.Sub(t1).Seconds(), t3.Sub(t2).Seconds(), len(pairs))
	fmt.Printf("minhash-lsh total (read + sign + index + query): %.2f s, peak RSS %d MiB\n",
		t3.Sub(start).Seconds(), ru.Maxrss/1024)
}
