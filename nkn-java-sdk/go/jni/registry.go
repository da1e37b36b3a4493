package main

import "sync"

// registry maps the integer handles that Java holds to Go objects.
//
// runtime/cgo.Handle would do the mapping too, but its Value panics on a stale or
// repeated handle, and a Go panic inside a JNI call aborts the whole JVM. Here ids are
// never reused, so a use after close is detected and reported as an exception.
type registry struct {
	mu   sync.Mutex
	next int64
	objs map[int64]any
}

func newRegistry() *registry {
	return &registry{objs: make(map[int64]any)}
}

func (r *registry) put(v any) int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.next++
	r.objs[r.next] = v
	return r.next
}

func (r *registry) get(id int64) (any, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v, ok := r.objs[id]
	return v, ok
}

func (r *registry) remove(id int64) (any, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v, ok := r.objs[id]
	delete(r.objs, id)
	return v, ok
}

func (r *registry) size() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.objs)
}

// handles holds every client and session that Java can name.
var handles = newRegistry()
