package main

import (
	"crypto/rand"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	nkn "github.com/nknorg/nkn-sdk-go"
)

// The workloads mirror tech.infernet.nkn.bench.NknBenchmark exactly: same sizes, counts,
// concurrency and measurement points, so that the two rows of a table compare like for like.
type benchResult struct {
	Workload   string  `json:"workload"`
	Count      int     `json:"count"`
	Bytes      int64   `json:"bytes"`
	Seconds    float64 `json:"seconds"`
	PerSecond  float64 `json:"perSecond"`
	MBPerSec   float64 `json:"mbPerSecond"`
	P50Micros  float64 `json:"p50Micros"`
	P99Micros  float64 `json:"p99Micros"`
	Runtime    string  `json:"runtime"`
}

func runBench(args []string) error {
	fs := flag.NewFlagSet("bench", flag.ExitOnError)
	cf := addClientFlags(fs)
	workload := fs.String("workload", "msgs", "msgs | rr | session")
	count := fs.Int("count", 5000, "messages (msgs, rr)")
	size := fs.Int("size", 1024, "message size in bytes (msgs, rr)")
	window := fs.Int("window", 64, "messages in flight (msgs)")
	mib := fs.Int("mib", 32, "MiB through the session (session)")
	fs.Parse(args)

	receiver, err := cf.connect()
	if err != nil {
		return err
	}
	defer receiver.Close()
	sender, err := cf.connect()
	if err != nil {
		return err
	}
	defer sender.Close()

	var r benchResult
	switch *workload {
	case "msgs":
		r, err = benchMessages(sender, receiver, *count, *size, *window)
	case "rr":
		r, err = benchRequestReply(sender, receiver, *count, *size)
	case "session":
		r, err = benchSession(sender, receiver, *mib)
	default:
		err = fmt.Errorf("unknown workload %q", *workload)
	}
	if err != nil {
		return err
	}
	r.Runtime = "go"
	return json.NewEncoder(os.Stdout).Encode(r)
}

func payload(size int) []byte {
	b := make([]byte, size)
	rand.Read(b)
	return b
}

// benchMessages: window senders each send without reply until count messages went out; the
// clock stops when the receiver has counted every message (or 95% and 5 s of silence).
func benchMessages(sender, receiver *nkn.MultiClient, count, size, window int) (benchResult, error) {
	data := payload(size)
	var received atomic.Int64
	done := make(chan struct{})
	go func() {
		for range receiver.OnMessage.C {
			if received.Add(1) == int64(count) {
				close(done)
			}
		}
	}()
	dest := nkn.NewStringArray(receiver.Address())
	var next atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < window; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(count) {
				sender.Send(dest, data, &nkn.MessageConfig{NoReply: true})
			}
		}()
	}
	wg.Wait()
	waitForCount(done, &received, count)
	elapsed := time.Since(start).Seconds()
	n := received.Load()
	return benchResult{Workload: "msgs", Count: int(n), Bytes: n * int64(size), Seconds: elapsed,
		PerSecond: float64(n) / elapsed, MBPerSec: float64(n*int64(size)) / elapsed / 1e6}, nil
}

func waitForCount(done chan struct{}, received *atomic.Int64, count int) {
	last, lastChange := received.Load(), time.Now()
	for {
		select {
		case <-done:
			return
		case <-time.After(100 * time.Millisecond):
			if now := received.Load(); now != last {
				last, lastChange = now, time.Now()
			} else if time.Since(lastChange) > 5*time.Second {
				return
			}
		}
	}
}

// benchRequestReply: one request at a time; each round trip is timed.
func benchRequestReply(sender, receiver *nkn.MultiClient, count, size int) (benchResult, error) {
	go func() {
		for msg := range receiver.OnMessage.C {
			msg.Reply(msg.Data)
		}
	}()
	data := payload(size)
	dest := nkn.NewStringArray(receiver.Address())
	rtts := make([]float64, 0, count)
	start := time.Now()
	for i := 0; i < count; i++ {
		t0 := time.Now()
		onReply, err := sender.Send(dest, data, nil)
		if err != nil {
			return benchResult{}, err
		}
		select {
		case <-onReply.C:
		case <-time.After(10 * time.Second):
			return benchResult{}, fmt.Errorf("request %d: no reply in 10 s", i)
		}
		rtts = append(rtts, float64(time.Since(t0).Microseconds()))
	}
	elapsed := time.Since(start).Seconds()
	sort.Float64s(rtts)
	return benchResult{Workload: "rr", Count: count, Bytes: int64(count * size), Seconds: elapsed,
		PerSecond: float64(count) / elapsed, P50Micros: percentile(rtts, 0.50), P99Micros: percentile(rtts, 0.99)}, nil
}

func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}

// benchSession: the sender dials, writes mib MiB in 64 KiB writes and closes; the clock stops
// when the receiver has read every byte.
func benchSession(sender, receiver *nkn.MultiClient, mib int) (benchResult, error) {
	if err := receiver.Listen(nil); err != nil {
		return benchResult{}, err
	}
	total := int64(mib) << 20
	got := make(chan int64, 1)
	go func() {
		session, err := receiver.AcceptSession()
		if err != nil {
			got <- -1
			return
		}
		n, _ := io.Copy(io.Discard, session)
		got <- n
	}()
	start := time.Now()
	session, err := sender.Dial(receiver.Address())
	if err != nil {
		return benchResult{}, err
	}
	chunk := payload(64 << 10)
	for sent := int64(0); sent < total; sent += int64(len(chunk)) {
		if _, err := session.Write(chunk); err != nil {
			return benchResult{}, err
		}
	}
	session.Close()
	n := <-got
	elapsed := time.Since(start).Seconds()
	if n != total {
		return benchResult{}, fmt.Errorf("receiver read %d of %d bytes", n, total)
	}
	return benchResult{Workload: "session", Count: 1, Bytes: n, Seconds: elapsed, MBPerSec: float64(n) / elapsed / 1e6}, nil
}
