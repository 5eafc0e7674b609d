package contid

// #include <stddef.h>
// #include <stdint.h>
import "C"

import (
	"runtime/cgo"
	"strings"
)

// Record is one audit record as the kernel would log it.
type Record struct {
	Type RecordType // RecordContainerOp, ...
	// Line is the raw log line without a trailing newline, e.g.
	// "type=CONTAINER_OP msg=audit(1700000000.000:1): op=set ...".
	Line string
}

// String returns the raw line.
func (r Record) String() string { return r.Line }

// Field returns the value of the field key among the space-separated
// key=value fields after "): " in the record's line, without the quotes
// around a quoted value, and whether the field is there.
func (r Record) Field(key string) (string, bool) {
	i := strings.Index(r.Line, "): ")
	if i < 0 {
		return "", false
	}
	for _, f := range strings.Split(r.Line[i+3:], " ") {
		k, v, ok := strings.Cut(f, "=")
		if !ok || k != key {
			continue
		}
		if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			v = v[1 : len(v)-1]
		}
		return v, true
	}
	return "", false
}

// receiver holds what a world's records are delivered to. The C world
// knows it only by its cgo.Handle, so that it does not keep the World
// itself reachable (which would stop the finalizer from ever running).
type receiver struct {
	fn         func(Record)
	ch         chan<- Record
	inCallback bool
	panicked   bool
	panicVal   interface{}
}

//export contidGoRecord
func contidGoRecord(handle C.uintptr_t, typ C.int, line *C.char, n C.size_t) {
	r := cgo.Handle(handle).Value().(*receiver)
	r.deliver(Record{Type: RecordType(typ), Line: C.GoStringN(line, C.int(n))})
}

// deliver runs the func and fills the channel. A panic must not unwind
// through libcontid's C frames, which would leave the world part-way
// through its operation: it is caught here and raised again by the method
// that ran the operation, once the C call has returned. Records logged
// after a panic, by the same operation, are dropped.
func (r *receiver) deliver(rec Record) {
	if r.panicked {
		return
	}
	r.inCallback = true
	defer func() {
		r.inCallback = false
		if p := recover(); p != nil {
			r.panicked = true
			r.panicVal = p
		}
	}()
	if r.fn != nil {
		r.fn(rec)
	}
	if r.ch != nil {
		r.ch <- rec
	}
}

// repanic raises again a panic caught in deliver.
func (r *receiver) repanic() {
	if r.panicked {
		p := r.panicVal
		r.panicked = false
		r.panicVal = nil
		panic(p)
	}
}
