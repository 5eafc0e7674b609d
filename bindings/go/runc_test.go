package contid_test

// A test written the way a container runtime's integration test (runc's,
// say) would use libcontid: the runtime forks a container's init into new
// namespaces, sets its audit container ID before the workload starts,
// and then checks what the kernel would answer to a container engine
// nested inside that container.

import (
	"errors"
	"syscall"
	"testing"

	"libcontid.org/contid"
)

// host is a machine with a runtime under init, as a test would set it up.
type host struct {
	t       *testing.T
	w       *contid.World
	records chan contid.Record
	runtime int
}

func newHost(t *testing.T) *host {
	t.Helper()
	h := &host{t: t, records: make(chan contid.Record, 64)}
	w, err := contid.NewWorld(contid.WithRecordChan(h.records))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	h.w = w
	h.runtime = h.spawn(1, 0, "runc")
	return h
}

func (h *host) spawn(parent int, flags contid.CloneFlags, name string) int {
	h.t.Helper()
	pid, err := h.w.Fork(parent, flags)
	if err == nil {
		err = h.w.SetTaskName(pid, name)
	}
	if err != nil {
		h.t.Fatalf("spawn %s: %v", name, err)
	}
	return pid
}

// startContainer is the runtime's create: the container's init in new
// user and network namespaces, its ID written before it runs anything.
func (h *host) startContainer(id uint64) int {
	h.t.Helper()
	init := h.spawn(h.runtime, contid.CloneNewUser|contid.CloneNewNet, "runc:[2:INIT]")
	if err := h.w.Set(h.runtime, init, id); err != nil {
		h.t.Fatalf("setting the container's ID: %v", err)
	}
	return init
}

// lastOp drains the records and returns the last CONTAINER_OP.
func (h *host) lastOp() contid.Record {
	h.t.Helper()
	var last contid.Record
	for {
		select {
		case r := <-h.records:
			if r.Type == contid.RecordContainerOp {
				last = r
			}
		default:
			if last.Line == "" {
				h.t.Fatal("no CONTAINER_OP record")
			}
			return last
		}
	}
}

func (h *host) expectField(r contid.Record, key, want string) {
	h.t.Helper()
	if got, _ := r.Field(key); got != want {
		h.t.Errorf("%s=%q, want %q in %s", key, got, want, r.Line)
	}
}

func TestRuntimeSetsContainerID(t *testing.T) {
	h := newHost(t)
	ctr := h.startContainer(100)
	op := h.lastOp()
	h.expectField(op, "op", "set")
	h.expectField(op, "contid", "100")
	h.expectField(op, "old-contid", "-1")

	id, err := h.w.Get(h.runtime, ctr)
	if err != nil || id != 100 {
		t.Fatalf("the runtime reads %d, %v", id, err)
	}
	// A second `runc create` of the same container must not win.
	if err := h.w.Set(h.runtime, ctr, 101); !errors.Is(err, syscall.EEXIST) {
		t.Errorf("setting the ID again: %v, want EEXIST", err)
	}
}

func TestRuntimeTooLate(t *testing.T) {
	h := newHost(t)
	init := h.spawn(h.runtime, contid.CloneNewUser|contid.CloneNewNet, "runc:[2:INIT]")
	h.spawn(init, 0, "sh") // the workload started before the ID was set
	err := h.w.Set(h.runtime, init, 100)
	var refusal *contid.RefusalError
	if !errors.As(err, &refusal) || refusal.Errno != syscall.EBUSY || refusal.Rule != "R-SET-3" {
		t.Fatalf("late set: %v, want EBUSY from R-SET-3", err)
	}
	t.Logf("refused as expected: %v", err)
}

func TestNestedEngine(t *testing.T) {
	h := newHost(t)
	ctr := h.startContainer(100)
	engine := h.spawn(ctr, 0, "dockerd")
	nested := h.spawn(engine, contid.CloneNewUser|contid.CloneNewNet, "nested-init")

	t.Run("unprivileged", func(t *testing.T) {
		// root in its own user namespace only: no CAP_AUDIT_CONTROL
		err := h.w.Set(engine, nested, 200)
		if !errors.Is(err, &contid.RefusalError{Errno: syscall.EPERM, Rule: "R-SET-2"}) {
			t.Fatalf("nested set without capcontid: %v", err)
		}
		if _, err := h.w.Get(engine, nested); !errors.Is(err, syscall.EPERM) {
			t.Errorf("nested read without capcontid: %v", err)
		}
	})

	t.Run("granted", func(t *testing.T) {
		// The runtime hands the engine the right to set IDs.
		if err := h.w.SetCapContid(h.runtime, engine, 1); err != nil {
			t.Fatal(err)
		}
		if err := h.w.Set(engine, nested, 200); err != nil {
			t.Fatalf("nested set with capcontid: %v", err)
		}
		op := h.lastOp()
		h.expectField(op, "contid", "200")
		chain, _ := h.w.TaskChain(nested)
		if chain != "200,^100" {
			t.Errorf("chain %q, want 200,^100", chain)
		}
		// what auditd would see of a syscall in the nested container
		if err := h.w.Event(nested); err != nil {
			t.Fatal(err)
		}
		r := <-h.records
		if r.Type != contid.RecordContainerID {
			t.Fatalf("first record of the event: %v", r)
		}
		h.expectField(r, "contid", "200,^100")
	})

	t.Run("escape", func(t *testing.T) {
		// The engine cannot reach a container that is not below it.
		other := h.startContainer(300)
		err := h.w.Set(engine, other, 200)
		if !errors.Is(err, syscall.EXDEV) {
			t.Errorf("engine sets a sibling container: %v, want EXDEV", err)
		}
	})

	t.Run("teardown", func(t *testing.T) {
		for _, pid := range []int{nested, engine, ctr} {
			if err := h.w.Exit(pid); err != nil {
				t.Fatal(err)
			}
			if err := h.w.Reap(pid); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := h.w.IDOwner(100); !errors.Is(err, syscall.ENOENT) {
			t.Errorf("ID 100 outlives its container: %v", err)
		}
		if err := h.w.Check(); err != nil {
			t.Error(err)
		}
	})
}
