package contid_test

import (
	"errors"
	"fmt"

	"libcontid.org/contid"
)

// The C example of the README, in Go: an orchestrator starts a container,
// sets its ID, sets it again, and learns why the second write failed.
func Example() {
	w, err := contid.NewWorld() // init only, profile v11
	if err != nil {
		panic(err)
	}
	defer w.Close()

	orch, _ := w.Fork(1, 0)    // an orchestrator ...
	c1, _ := w.Fork(orch, 0)   // ... starts a container
	_ = w.Set(orch, c1, 100)   // nil: c1 now has ID 100
	err = w.Set(orch, c1, 100) // EEXIST: already set
	fmt.Println(contid.ErrnoName(err))
	var refusal *contid.RefusalError
	if errors.As(err, &refusal) {
		fmt.Println(refusal.Rule + ": " + refusal.Reason)
	}
	chain, _ := w.TaskChain(c1)
	fmt.Println(chain)
	// Output:
	// EEXIST
	// R-SET-5: the target has an ID and the write does not nest
	// 100
}

// Records reach a func (or a channel, WithRecordChan) as they are logged.
func ExampleWithRecordFunc() {
	w, err := contid.NewWorld(contid.WithRecordFunc(func(r contid.Record) {
		if r.Type == contid.RecordContainerOp {
			op, _ := r.Field("op")
			id, _ := r.Field("contid")
			fmt.Println(r.Type, op, id)
		}
	}))
	if err != nil {
		panic(err)
	}
	defer w.Close()
	c1, _ := w.Fork(1, 0)
	if err := w.Set(1, c1, 100); err != nil {
		panic(err)
	}
	// Output:
	// CONTAINER_OP set 100
}

// errors.Is tells refusals apart by errno, or by rule.
func ExampleRefusalError() {
	w, _ := contid.NewWorld()
	defer w.Close()
	c1, _ := w.Fork(1, 0)
	w.Fork(c1, 0) // c1 has a child now
	err := w.Set(1, c1, 100)
	fmt.Println(errors.Is(err, &contid.RefusalError{Rule: "R-SET-3"}))
	fmt.Println(err)
	// Output:
	// true
	// contid: Set: EBUSY (R-SET-3: the target has children)
}
