package contid_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"

	"libcontid.org/contid"
)

const initPid = 1

func newWorld(t *testing.T, opts ...contid.Option) *contid.World {
	t.Helper()
	w, err := contid.NewWorld(opts...)
	if err != nil {
		t.Fatalf("NewWorld: %v", err)
	}
	t.Cleanup(func() {
		if err := w.Check(); err != nil {
			t.Errorf("after the test: %v", err)
		}
		if err := w.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return w
}

func fork(t *testing.T, w *contid.World, parent int, flags contid.CloneFlags) int {
	t.Helper()
	pid, err := w.Fork(parent, flags)
	if err != nil {
		t.Fatalf("Fork(%d, %#x): %v", parent, flags, err)
	}
	return pid
}

func ok(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// refused checks that err is a RefusalError of op with errno want and
// rule, and that errors.Is sees the errno through it.
func refused(t *testing.T, err error, op string, want syscall.Errno, rule string) {
	t.Helper()
	var re *contid.RefusalError
	if !errors.As(err, &re) {
		t.Fatalf("%s: got %v (%T), want a *RefusalError", op, err, err)
	}
	if !errors.Is(err, want) || re.Errno != want || re.Op != op ||
		(rule != "" && re.Rule != rule) || re.Reason == "" {
		t.Fatalf("%s: got %+v, want %s, %s", op, re, contid.ErrnoName(want), rule)
	}
}

func TestVersion(t *testing.T) {
	v := contid.Version()
	if !strings.HasPrefix(v, fmt.Sprintf("%d.", contid.VersionMajor)) ||
		strings.Count(v, ".") != 2 {
		t.Errorf("Version() = %q, header %d.%d.%d", v, contid.VersionMajor,
			contid.VersionMinor, contid.VersionMicro)
	}
}

func TestProfileNames(t *testing.T) {
	names := contid.ProfileNames()
	want := []string{"v11", "v6", "v8", "v11-posted", "bits", "kernel-alloc"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("ProfileNames() = %q, want %q", names, want)
	}
}

// A new world holds init only, with every capability and no ID.
func TestNewWorldInspection(t *testing.T) {
	w := newWorld(t)
	if w.Profile() != "v11" || w.TaskCount() != 1 || w.IDCount() != 0 {
		t.Fatalf("profile %q, %d tasks, %d IDs", w.Profile(), w.TaskCount(), w.IDCount())
	}
	if got := w.Tasks(); !reflect.DeepEqual(got, []int{1}) {
		t.Errorf("Tasks() = %v", got)
	}
	if _, err := w.TaskNext(1); !errors.Is(err, syscall.ENOENT) {
		t.Errorf("TaskNext(1): %v, want ENOENT", err)
	}
	state, err := w.TaskState(initPid)
	ok(t, "TaskState", err)
	if state != contid.TaskRunning || state.String() != "running" {
		t.Errorf("init is %v", state)
	}
	tgid, err := w.TaskTgid(initPid)
	ok(t, "TaskTgid", err)
	ppid, err := w.TaskPpid(initPid)
	ok(t, "TaskPpid", err)
	uid, err := w.TaskUID(initPid)
	ok(t, "TaskUID", err)
	level, err := w.TaskUsernsLevel(initPid)
	ok(t, "TaskUsernsLevel", err)
	if tgid != 1 || ppid != 0 || uid != 0 || level != 0 {
		t.Errorf("init: tgid %d ppid %d uid %d level %d", tgid, ppid, uid, level)
	}
	for _, c := range []contid.Cap{contid.CapSetuid, contid.CapSysAdmin,
		contid.CapAuditControl, contid.CapLastCap} {
		has, err := w.TaskHasCap(initPid, c)
		ok(t, "TaskHasCap", err)
		capable, err := w.TaskCapable(initPid, c)
		ok(t, "TaskCapable", err)
		if !has || !capable {
			t.Errorf("init lacks cap %d: has %v capable %v", c, has, capable)
		}
	}
	if _, err := w.TaskHasCap(initPid, contid.CapLastCap+1); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("TaskHasCap(last+1): %v, want EINVAL", err)
	}
	sub, err := w.TaskSubreaper(initPid)
	ok(t, "TaskSubreaper", err)
	id, err := w.TaskContid(initPid)
	ok(t, "TaskContid", err)
	capc, err := w.TaskCapContid(initPid)
	ok(t, "TaskCapContid", err)
	chain, err := w.TaskChain(initPid)
	ok(t, "TaskChain", err)
	if sub || id != contid.Unset || capc != 0 || chain != "-1" {
		t.Errorf("init: subreaper %v contid %d capcontid %d chain %q", sub, id, capc, chain)
	}
	ids, err := w.IDList()
	ok(t, "IDList", err)
	netns, err := w.TaskNetnsIDs(initPid)
	ok(t, "TaskNetnsIDs", err)
	if len(ids) != 0 || len(netns) != 0 {
		t.Errorf("IDList %v, TaskNetnsIDs %v", ids, netns)
	}
	if _, err := w.TaskState(4000); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("TaskState(4000): %v, want ESRCH", err)
	}
	if _, _, ok := w.LastRefusal(); ok {
		t.Errorf("LastRefusal of a new world")
	}
	if err := w.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
}

func TestOptions(t *testing.T) {
	var records []contid.Record
	w := newWorld(t, contid.WithProfile("v8"), contid.WithDepthLimit(1),
		contid.WithPidMax(50), contid.WithLimit(contid.LimitTasks, 3),
		contid.WithLimit(contid.LimitIDs, 0), contid.WithAudit(false),
		contid.WithRecordFunc(func(r contid.Record) { records = append(records, r) }))
	if w.Profile() != "v8" {
		t.Errorf("profile %q", w.Profile())
	}
	a := fork(t, w, initPid, 0)
	ok(t, "Set", w.Set(initPid, a, 7))
	b := fork(t, w, a, 0)
	_, err := w.Fork(initPid, 0)
	refused(t, err, "Fork", syscall.EAGAIN, "")
	// v8 with depth 1: a nested ID would be 2 deep.
	refused(t, w.Set(a, b, 8), "Set", syscall.EMLINK, "V8-DEPTH")
	if len(records) != 0 {
		t.Errorf("auditing off, yet %d records", len(records))
	}
	if a >= 50 || b >= 50 {
		t.Errorf("pids %d, %d not below pid_max 50", a, b)
	}

	// A failing option closes the world and says which option it was.
	_, err = contid.NewWorld(contid.WithAudit(true), contid.WithProfile("v99"))
	if !errors.Is(err, syscall.EINVAL) || !strings.Contains(err.Error(), "option 2") {
		t.Errorf("NewWorld(WithProfile(v99)): %v", err)
	}
	_, err = contid.NewWorld(contid.WithPidMax(contid.PidMaxLimit + 1))
	if !errors.Is(err, syscall.EINVAL) {
		t.Errorf("WithPidMax(too many): %v", err)
	}
	_, err = contid.NewWorld(contid.WithLimit(contid.Limit(9), 1))
	if !errors.Is(err, syscall.EINVAL) {
		t.Errorf("WithLimit(9): %v", err)
	}
}

// Settings are refused with a bare errno, and the profile only before the
// first operation.
func TestSettings(t *testing.T) {
	w := newWorld(t)
	ok(t, "SetProfile", w.SetProfile("bits"))
	ok(t, "SetDepthLimit", w.SetDepthLimit(0))
	ok(t, "SetPidMax", w.SetPidMax(contid.PidMaxLimit))
	ok(t, "SetLimit", w.SetLimit(contid.LimitIDs, 10))
	ok(t, "SetAudit", w.SetAudit(true))
	if err := w.SetPidMax(1); err != syscall.EINVAL {
		t.Errorf("SetPidMax(1): %v, want the bare EINVAL", err)
	}
	a := fork(t, w, initPid, 0)
	if err := w.SetProfile("v11"); err != syscall.EBUSY {
		t.Errorf("SetProfile after a fork: %v, want the bare EBUSY", err)
	}
	if w.Profile() != "bits" {
		t.Errorf("profile %q", w.Profile())
	}
	ok(t, "SetTaskName", w.SetTaskName(a, "runc"))
	if err := w.SetTaskName(a, ""); err != syscall.EINVAL {
		t.Errorf("SetTaskName(\"\"): %v", err)
	}
	if err := w.SetTaskName(a, strings.Repeat("x", 256)); err != syscall.EINVAL {
		t.Errorf("SetTaskName(256 bytes): %v", err)
	}
}

// The README's example: a set, the same set again, and why it failed.
func TestRefusalError(t *testing.T) {
	w := newWorld(t)
	orch := fork(t, w, initPid, 0)
	c1 := fork(t, w, orch, 0)
	ok(t, "Set", w.Set(orch, c1, 100))
	err := w.Set(orch, c1, 100)
	refused(t, err, "Set", syscall.EEXIST, "R-SET-5")
	if !errors.Is(err, &contid.RefusalError{Rule: "R-SET-5"}) ||
		!errors.Is(err, &contid.RefusalError{Op: "Set", Errno: syscall.EEXIST}) ||
		errors.Is(err, &contid.RefusalError{Rule: "R-SET-4"}) ||
		errors.Is(err, syscall.EPERM) {
		t.Errorf("errors.Is on %v", err)
	}
	want := "contid: Set: EEXIST (R-SET-5: the target has an ID and the write does not nest)"
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	if contid.ErrnoName(err) != "EEXIST" {
		t.Errorf("ErrnoName = %q", contid.ErrnoName(err))
	}
	rule, reason, found := w.LastRefusal()
	if !found || rule != "R-SET-5" || reason == "" {
		t.Errorf("LastRefusal() = %q, %q, %v", rule, reason, found)
	}
	// A refusal of an operation only: an inspection's errno is bare.
	if _, err := w.TaskContid(4000); err != syscall.ESRCH {
		t.Errorf("TaskContid(4000): %v, want the bare ESRCH", err)
	}
	// A successful operation clears the last refusal.
	fork(t, w, initPid, 0)
	if _, _, found := w.LastRefusal(); found {
		t.Errorf("LastRefusal after a successful fork")
	}
}

func TestErrnoNames(t *testing.T) {
	if got := contid.ErrnoName(syscall.EPERM); got != "EPERM" {
		t.Errorf("ErrnoName(EPERM) = %q", got)
	}
	if got := contid.ErrnoName(nil); got != "" {
		t.Errorf("ErrnoName(nil) = %q", got)
	}
	if got := contid.ErrnoName(errors.New("x")); got != "" {
		t.Errorf("ErrnoName(not an errno) = %q", got)
	}
	if got := contid.ErrnoName(syscall.Errno(4095)); got != "" {
		t.Errorf("ErrnoName(4095) = %q", got)
	}
	if got := contid.ErrnoFromName("exdev"); got != syscall.EXDEV {
		t.Errorf("ErrnoFromName(exdev) = %v", got)
	}
	if got := contid.ErrnoFromName("ENOTANERRNO"); got != 0 {
		t.Errorf("ErrnoFromName(ENOTANERRNO) = %v", got)
	}
}

// Fork's flags, exit, reaping, subreapers, namespaces, uids and
// capabilities.
func TestTaskOperations(t *testing.T) {
	w := newWorld(t)
	a := fork(t, w, initPid, 0)
	thread := fork(t, w, a, contid.CloneThread)
	if tgid, _ := w.TaskTgid(thread); tgid != a {
		t.Errorf("a thread of %d has tgid %d", a, tgid)
	}
	sibling := fork(t, w, a, contid.CloneParent)
	if ppid, _ := w.TaskPpid(sibling); ppid != initPid {
		t.Errorf("CLONE_PARENT child of %d has ppid %d", a, ppid)
	}
	user := fork(t, w, a, contid.CloneNewUser|contid.CloneNewNet)
	if level, _ := w.TaskUsernsLevel(user); level != 1 {
		t.Errorf("CLONE_NEWUSER child has level %d", level)
	}
	if capable, _ := w.TaskCapable(user, contid.CapSysAdmin); capable {
		t.Errorf("a child in a new user namespace is capable(CAP_SYS_ADMIN)")
	}
	if has, _ := w.TaskHasCap(user, contid.CapSysAdmin); !has {
		t.Errorf("a child in a new user namespace lacks CAP_SYS_ADMIN there")
	}
	_, err := w.Fork(a, contid.CloneThread|contid.CloneNewUser)
	refused(t, err, "Fork", syscall.EINVAL, "")
	_, err = w.Fork(4000, 0)
	refused(t, err, "Fork", syscall.ESRCH, "ACTING-TASK")

	desc, err := w.TaskIsDescendant(user, a)
	ok(t, "TaskIsDescendant", err)
	notDesc, err := w.TaskIsDescendant(a, user)
	ok(t, "TaskIsDescendant", err)
	if !desc || notDesc {
		t.Errorf("TaskIsDescendant: %v, %v", desc, notDesc)
	}

	ok(t, "Unshare", w.Unshare(a, contid.NSNet))
	ok(t, "Setns", w.Setns(a, contid.NSNet, initPid))
	ok(t, "Unshare", w.Unshare(sibling, contid.NSUser))
	refused(t, w.Unshare(a, contid.Namespace(99)), "Unshare", syscall.EINVAL, "")
	refused(t, w.Setns(a, contid.Namespace(99), initPid), "Setns", syscall.EINVAL, "R-SETNS")

	ok(t, "Setuid", w.Setuid(a, 1000))
	if uid, _ := w.TaskUID(a); uid != 1000 {
		t.Errorf("uid %d after Setuid(1000)", uid)
	}
	b := fork(t, w, initPid, 0)
	ok(t, "DropCap", w.DropCap(b, contid.CapSetuid))
	if has, _ := w.TaskHasCap(b, contid.CapSetuid); has {
		t.Errorf("CAP_SETUID still there after DropCap")
	}
	refused(t, w.Setuid(b, 5), "Setuid", syscall.EPERM, "")
	refused(t, w.DropCap(b, contid.CapLastCap+1), "DropCap", syscall.EINVAL, "")

	ok(t, "SetSubreaper", w.SetSubreaper(b))
	if sub, _ := w.TaskSubreaper(b); !sub {
		t.Errorf("not a subreaper after SetSubreaper")
	}
	idA, _ := w.TaskIdentity(a)
	idB, _ := w.TaskIdentity(b)
	if idA == idB {
		t.Errorf("two tasks share identity %d", idA)
	}

	c := fork(t, w, b, 0)
	ok(t, "Exit", w.Exit(c))
	if state, _ := w.TaskState(c); state != contid.TaskZombie || state.String() != "zombie" {
		t.Errorf("state %v after Exit", state)
	}
	refused(t, w.Exit(c), "Exit", syscall.ESRCH, "")
	ok(t, "Reap", w.Reap(c))
	if _, err := w.TaskState(c); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("TaskState of a reaped task: %v", err)
	}
	refused(t, w.Reap(c), "Reap", syscall.ESRCH, "")
	refused(t, w.Reap(b), "Reap", syscall.ECHILD, "")
	refused(t, w.Exit(initPid), "Exit", syscall.EPERM, "")
	if fmt.Sprint(contid.TaskState(9)) != "TaskState(9)" {
		t.Errorf("TaskState(9).String() = %q", contid.TaskState(9).String())
	}
}

// IDs: writes, reads, nesting, owners and the lists.
func TestIDs(t *testing.T) {
	w := newWorld(t)
	orch := fork(t, w, initPid, 0)
	c1 := fork(t, w, orch, 0)
	n, err := w.Write(orch, c1, []byte("100\n"))
	ok(t, "Write", err)
	if n != 4 {
		t.Errorf("Write returned %d, want 4", n)
	}
	_, err = w.Write(orch, c1, nil)
	refused(t, err, "Write", syscall.EINVAL, "")
	engine := fork(t, w, c1, 0)
	c2 := fork(t, w, engine, 0)
	ok(t, "Set", w.Set(engine, c2, 200))
	id, err := w.Get(initPid, c2)
	ok(t, "Get", err)
	if id != 200 {
		t.Errorf("Get = %d", id)
	}
	_, err = w.Get(c2, 4000)
	refused(t, err, "Get", syscall.ESRCH, "")
	chain, _ := w.TaskChain(c2)
	if chain != "200,^100" {
		t.Errorf("chain %q", chain)
	}
	if v, _ := w.TaskContid(c2); v != 200 {
		t.Errorf("TaskContid = %d", v)
	}
	parent, err := w.IDParent(200)
	ok(t, "IDParent", err)
	top, _ := w.IDParent(100)
	if parent != 100 || top != contid.Unset {
		t.Errorf("IDParent: %d, %d", parent, top)
	}
	identity, pid, err := w.IDOwner(200)
	ok(t, "IDOwner", err)
	engineID, _ := w.TaskIdentity(engine)
	if identity != engineID || pid != engine {
		t.Errorf("IDOwner(200) = %d, %d; engine is %d, %d", identity, pid, engineID, engine)
	}
	users, err := w.IDUsers(100)
	ok(t, "IDUsers", err)
	refs, err := w.IDRefs(100)
	ok(t, "IDRefs", err)
	// c1 and engine hold 100; 200 nests in it.
	if users != 2 || refs != 3 {
		t.Errorf("100: %d users, %d refs", users, refs)
	}
	if _, _, err := w.IDOwner(300); !errors.Is(err, syscall.ENOENT) {
		t.Errorf("IDOwner(300): %v", err)
	}
	for name, f := range map[string]func(uint64) (uint, error){"IDUsers": w.IDUsers, "IDRefs": w.IDRefs} {
		if _, err := f(300); err != syscall.ENOENT {
			t.Errorf("%s(300): %v", name, err)
		}
	}
	if _, err := w.IDParent(300); err != syscall.ENOENT {
		t.Errorf("IDParent(300): %v", err)
	}
	ids, _ := w.IDList()
	if len(ids) != 2 || w.IDCount() != 2 {
		t.Errorf("IDList %v, IDCount %d", ids, w.IDCount())
	}
	netns, _ := w.TaskNetnsIDs(c2)
	if !reflect.DeepEqual(netns, []uint64{200, 100}) {
		t.Errorf("TaskNetnsIDs = %v", netns)
	}
	if _, err := w.TaskNetnsIDs(4000); err != syscall.ESRCH {
		t.Errorf("TaskNetnsIDs(4000): %v", err)
	}
	if _, err := w.TaskChain(4000); err != syscall.ESRCH {
		t.Errorf("TaskChain(4000): %v", err)
	}
	// A long chain does not fit the first buffer.
	last := c2
	for v := uint64(1000000000000000001); v < 1000000000000000008; v++ {
		child := fork(t, w, last, 0)
		ok(t, "Set", w.Set(last, child, v))
		last = child
	}
	chain, _ = w.TaskChain(last)
	if len(chain) < 64 || !strings.HasSuffix(chain, ",^200,^100") {
		t.Errorf("long chain %q", chain)
	}
	c3 := fork(t, w, orch, 0)
	ok(t, "Set", w.Set(orch, c3, 100))
	refused(t, w.Set(engine, c3, 100), "Set", syscall.EXDEV, "")
}

func TestCapContid(t *testing.T) {
	w := newWorld(t)
	a := fork(t, w, initPid, 0)
	b := fork(t, w, a, 0)
	n, err := w.WriteCapContid(initPid, a, []byte("1"))
	ok(t, "WriteCapContid", err)
	if n != 1 {
		t.Errorf("WriteCapContid returned %d", n)
	}
	v, err := w.GetCapContid(initPid, a)
	ok(t, "GetCapContid", err)
	if v != 1 {
		t.Errorf("GetCapContid = %d", v)
	}
	ok(t, "SetCapContid", w.SetCapContid(initPid, b, 3))
	if v, _ := w.TaskCapContid(b); v != 3 {
		t.Errorf("TaskCapContid = %d", v)
	}
	_, err = w.WriteCapContid(initPid, a, []byte("4294967296"))
	refused(t, err, "WriteCapContid", syscall.ERANGE, "")
	_, err = w.GetCapContid(initPid, 4000)
	refused(t, err, "GetCapContid", syscall.ESRCH, "")
	refused(t, w.SetCapContid(4000, a, 1), "SetCapContid", syscall.ESRCH, "ACTING-TASK")
}

// Records reach a func and a channel, in order, with their fields.
func TestRecords(t *testing.T) {
	var got []contid.Record
	ch := make(chan contid.Record, 16)
	w := newWorld(t, contid.WithRecordFunc(func(r contid.Record) { got = append(got, r) }),
		contid.WithRecordChan(ch))
	a := fork(t, w, initPid, 0)
	ok(t, "SetTaskName", w.SetTaskName(a, "orch"))
	c1 := fork(t, w, a, 0)
	ok(t, "Set", w.Set(a, c1, 100))
	if len(got) != 2 || got[0].Type != contid.RecordContainerOp ||
		got[1].Type != contid.RecordSyscall {
		t.Fatalf("records %v", got)
	}
	r := <-ch
	if r != got[0] || r.String() != r.Line || r.Type.String() != "CONTAINER_OP" {
		t.Errorf("channel %v, func %v", r, got[0])
	}
	if comm, _ := (<-ch).Field("comm"); comm != "orch" {
		t.Errorf("SYSCALL comm=%q, want orch (unquoted)", comm)
	}
	for key, want := range map[string]string{"op": "set", "opid": fmt.Sprint(c1),
		"contid": "100", "old-contid": "-1"} {
		if v, found := r.Field(key); !found || v != want {
			t.Errorf("Field(%q) = %q, %v; want %q in %s", key, v, found, want, r.Line)
		}
	}
	if _, found := r.Field("nosuchfield"); found {
		t.Errorf("Field(nosuchfield) found")
	}
	if _, found := (contid.Record{Line: "no fields"}).Field("op"); found {
		t.Errorf("Field of a line without fields")
	}

	ok(t, "Event", w.Event(c1))
	ok(t, "Packet", w.Packet(c1))
	ok(t, "SetCapContid", w.SetCapContid(initPid, a, 1))
	var types []string
	for _, r := range got[2:] {
		types = append(types, r.Type.String())
	}
	// an event: CONTAINER_ID, SYSCALL; a packet: CONTAINER_ID (the
	// namespace's IDs), NETFILTER_PKT; a capcontid write: SET_CAPCONTID,
	// SYSCALL.
	want := []string{"CONTAINER_ID", "SYSCALL", "CONTAINER_ID", "NETFILTER_PKT",
		"SET_CAPCONTID", "SYSCALL"}
	if !reflect.DeepEqual(types, want) {
		t.Errorf("record types %v, want %v", types, want)
	}
	if len(ch) != len(got)-2 {
		t.Errorf("%d records on the channel, %d delivered to the func", len(ch)+2, len(got))
	}
	if contid.RecordType(1).String() != "RecordType(1)" ||
		contid.RecordSetCapContid.String() != "SET_CAPCONTID" ||
		contid.RecordSyscall.String() != "SYSCALL" ||
		contid.RecordNetfilterPkt.String() != "NETFILTER_PKT" ||
		contid.RecordContainerID.String() != "CONTAINER_ID" {
		t.Errorf("RecordType names")
	}

	// nil stops each in turn.
	ok(t, "SetRecordFunc(nil)", w.SetRecordFunc(nil))
	n := len(got)
	ok(t, "Event", w.Event(c1))
	if len(got) != n || len(ch) == 0 {
		t.Errorf("after SetRecordFunc(nil): func got %d more, channel %d", len(got)-n, len(ch))
	}
	for len(ch) > 0 {
		<-ch
	}
	ok(t, "SetRecordChan(nil)", w.SetRecordChan(nil))
	ok(t, "Event", w.Event(c1))
	if len(ch) != 0 {
		t.Errorf("after SetRecordChan(nil): %d records", len(ch))
	}
}

// A record func may read the world, not change it, not close it.
func TestRecordFuncReentrancy(t *testing.T) {
	var w *contid.World
	var errs []error
	var chain string
	var count int
	w = newWorld(t, contid.WithRecordFunc(func(r contid.Record) {
		if r.Type != contid.RecordContainerOp {
			return
		}
		count = w.TaskCount()
		pid, _ := r.Field("opid")
		var p int
		fmt.Sscan(pid, &p)
		chain, _ = w.TaskChain(p)
		_, err := w.Fork(initPid, 0)
		errs = append(errs, err, w.Close(), w.SetAudit(false),
			w.SetRecordFunc(nil))
		_, err = w.Clone()
		errs = append(errs, err)
	}))
	a := fork(t, w, initPid, 0)
	ok(t, "Set", w.Set(initPid, a, 5))
	if count != 2 || chain != "-1" {
		t.Errorf("from the record func: %d tasks, chain %q", count, chain)
	}
	for i, err := range errs {
		if err != syscall.EDEADLK {
			t.Errorf("call %d from the record func: %v, want the bare EDEADLK", i, err)
		}
	}
	if len(errs) != 5 || w.TaskCount() != 2 {
		t.Errorf("%d errors, %d tasks", len(errs), w.TaskCount())
	}
}

// A panic in the record func comes out of the method that ran the
// operation, once libcontid is done with it; the world goes on.
func TestRecordFuncPanic(t *testing.T) {
	w := newWorld(t, contid.WithRecordFunc(func(r contid.Record) { panic("boom") }))
	a := fork(t, w, initPid, 0)
	func() {
		defer func() {
			if p := recover(); p != "boom" {
				t.Errorf("recovered %v, want boom", p)
			}
		}()
		w.Event(a)
		t.Errorf("Event did not panic")
	}()
	ok(t, "SetRecordFunc(nil)", w.SetRecordFunc(nil))
	ok(t, "Event", w.Event(a))
	ok(t, "Check", w.Check())
}

func TestCloneDumpDigest(t *testing.T) {
	w := newWorld(t)
	a := fork(t, w, initPid, 0)
	ok(t, "Set", w.Set(initPid, a, 9))
	c, err := w.Clone()
	ok(t, "Clone", err)
	defer c.Close()
	d1, err := w.Dump()
	ok(t, "Dump", err)
	d2, err := c.Dump()
	ok(t, "Dump", err)
	g1, err := w.Digest()
	ok(t, "Digest", err)
	g2, _ := c.Digest()
	if d1 != d2 || g1 != g2 || !strings.Contains(d1, "9") {
		t.Errorf("clone differs:\n%s\n%s", d1, d2)
	}
	// The copy is independent.
	fork(t, c, initPid, 0)
	if w.TaskCount() != 2 || c.TaskCount() != 3 {
		t.Errorf("tasks: %d, %d", w.TaskCount(), c.TaskCount())
	}
	g3, _ := c.Digest()
	if g3 == g1 {
		t.Errorf("digest unchanged by a fork")
	}
}

// A closed world answers EINVAL, as C does for a NULL world.
func TestClosed(t *testing.T) {
	w, err := contid.NewWorld()
	ok(t, "NewWorld", err)
	ok(t, "Close", w.Close())
	ok(t, "Close again", w.Close())
	if _, err := w.Fork(initPid, 0); err != syscall.EINVAL {
		t.Errorf("Fork on a closed world: %v", err)
	}
	if err := w.Check(); err != syscall.EINVAL {
		t.Errorf("Check on a closed world: %v", err)
	}
	if _, err := w.Clone(); err != syscall.EINVAL {
		t.Errorf("Clone of a closed world: %v", err)
	}
	if w.Profile() != "" || w.TaskCount() != 0 || w.IDCount() != 0 || w.Tasks() != nil {
		t.Errorf("a closed world has content")
	}
}

func TestInvariantError(t *testing.T) {
	err := contid.NewInvariantErrorForTest("INV-REFCOUNT: value 5 has 2 references, counted 1")
	var ie *contid.InvariantError
	if !errors.As(err, &ie) || ie.Invariant != "INV-REFCOUNT" ||
		!errors.Is(err, syscall.EUCLEAN) ||
		err.Error() != "contid: invariant broken: INV-REFCOUNT: value 5 has 2 references, counted 1" {
		t.Errorf("%#v", err)
	}
}

// Different worlds may be used from different goroutines at once (run
// with -race).
func TestWorldsInGoroutines(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			var n int
			w, err := contid.NewWorld(contid.WithRecordFunc(func(contid.Record) { n++ }))
			if err != nil {
				errs <- err
				return
			}
			defer w.Close()
			for j := 0; j < 50; j++ {
				pid, err := w.Fork(initPid, 0)
				if err == nil {
					err = w.Set(initPid, pid, uint64(i*100+j))
				}
				if err != nil {
					errs <- err
					return
				}
			}
			if n != 100 { // CONTAINER_OP and SYSCALL for each write
				errs <- fmt.Errorf("world %d: %d records", i, n)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// Every inspection of a task answers ESRCH, bare, for a pid that names no
// task, one too large for a pid_t included.
func TestInspectionOfNoTask(t *testing.T) {
	w := newWorld(t)
	calls := map[string]func(pid int) error{
		"TaskState":       func(p int) error { _, err := w.TaskState(p); return err },
		"TaskIdentity":    func(p int) error { _, err := w.TaskIdentity(p); return err },
		"TaskTgid":        func(p int) error { _, err := w.TaskTgid(p); return err },
		"TaskPpid":        func(p int) error { _, err := w.TaskPpid(p); return err },
		"TaskUID":         func(p int) error { _, err := w.TaskUID(p); return err },
		"TaskUsernsLevel": func(p int) error { _, err := w.TaskUsernsLevel(p); return err },
		"TaskHasCap":      func(p int) error { _, err := w.TaskHasCap(p, contid.CapSetuid); return err },
		"TaskCapable":     func(p int) error { _, err := w.TaskCapable(p, contid.CapSetuid); return err },
		"TaskSubreaper":   func(p int) error { _, err := w.TaskSubreaper(p); return err },
		"TaskContid":      func(p int) error { _, err := w.TaskContid(p); return err },
		"TaskCapContid":   func(p int) error { _, err := w.TaskCapContid(p); return err },
		"TaskChain":       func(p int) error { _, err := w.TaskChain(p); return err },
		"TaskNetnsIDs":    func(p int) error { _, err := w.TaskNetnsIDs(p); return err },
		"TaskIsDescendant": func(p int) error {
			_, err := w.TaskIsDescendant(p, initPid)
			return err
		},
		"SetTaskName": func(p int) error { return w.SetTaskName(p, "x") },
	}
	for name, call := range calls {
		for _, pid := range []int{4000, 1 << 40} {
			if err := call(pid); err != syscall.ESRCH {
				t.Errorf("%s(%d): %v, want the bare ESRCH", name, pid, err)
			}
		}
	}
	if err := w.SetPidMax(1 << 40); err != syscall.EINVAL {
		t.Errorf("SetPidMax(2^40): %v", err)
	}
	if err := w.SetDepthLimit(1 << 40); err != syscall.EINVAL {
		t.Errorf("SetDepthLimit(2^40): %v", err)
	}
	w, err := contid.NewWorld()
	ok(t, "NewWorld", err)
	w.Close()
	if _, err := w.Dump(); err != syscall.EINVAL {
		t.Errorf("Dump of a closed world: %v", err)
	}
	if _, err := w.Digest(); err != syscall.EINVAL {
		t.Errorf("Digest of a closed world: %v", err)
	}
	if _, err := w.IDList(); err != syscall.EINVAL {
		t.Errorf("IDList of a closed world: %v", err)
	}
}

// CopyFrom makes a world the copy Clone would make, and keeps its own
// record func.
func TestCopyFrom(t *testing.T) {
	src := newWorld(t, contid.WithProfile("v8"))
	a := fork(t, src, initPid, contid.CloneNewNet)
	ok(t, "Set", src.Set(initPid, a, 9))
	var records []contid.Record
	dst := newWorld(t, contid.WithRecordFunc(func(r contid.Record) { records = append(records, r) }))
	fork(t, dst, initPid, 0)
	fork(t, dst, initPid, 0)
	ok(t, "CopyFrom", dst.CopyFrom(src))
	want, _ := src.Dump()
	got, _ := dst.Dump()
	if got != want || dst.Profile() != "v8" {
		t.Errorf("the copy:\n%s\nthe source:\n%s", got, want)
	}
	ok(t, "Event", dst.Event(a))
	if len(records) == 0 {
		t.Errorf("the copy lost its record func")
	}
	if src.TaskCount() != 2 {
		t.Errorf("the source changed: %d tasks", src.TaskCount())
	}
	ok(t, "CopyFrom itself", dst.CopyFrom(dst))
	closed, _ := contid.NewWorld()
	closed.Close()
	if err := dst.CopyFrom(closed); err != syscall.EINVAL {
		t.Errorf("CopyFrom(a closed world): %v", err)
	}
	var inCallback error
	cb := newWorld(t, contid.WithRecordFunc(func(contid.Record) { inCallback = dst.CopyFrom(src) }))
	ok(t, "Event", cb.Event(initPid))
	// only the callback's own world is part-way through an operation
	ok(t, "CopyFrom from another world's record func", inCallback)
	ok(t, "SetRecordFunc", cb.SetRecordFunc(func(contid.Record) { inCallback = cb.CopyFrom(src) }))
	ok(t, "Event", cb.Event(initPid))
	if inCallback != syscall.EDEADLK {
		t.Errorf("CopyFrom into the world whose record func runs: %v", inCallback)
	}
}

// Two worlds that differ only in how their pids are numbered have the same
// symmetric digest, not the same plain one.
func TestDigestSymmetric(t *testing.T) {
	a := newWorld(t)
	fork(t, a, initPid, 0)
	fork(t, a, initPid, 0)
	b := newWorld(t)
	gone := fork(t, b, initPid, 0)
	fork(t, b, initPid, 0)
	fork(t, b, initPid, 0)
	ok(t, "Exit", b.Exit(gone))
	ok(t, "Reap", b.Reap(gone))
	ok(t, "Exit", a.Exit(3)) // live pids 1, 2 and 4 here, 1, 3 and 4 in b
	ok(t, "Reap", a.Reap(3))
	fork(t, a, initPid, 0)
	da, _ := a.Digest()
	db, _ := b.Digest()
	sa, err := a.DigestSymmetric(0)
	ok(t, "DigestSymmetric", err)
	sb, err := b.DigestSymmetric(10)
	ok(t, "DigestSymmetric", err)
	if sa != sb {
		t.Errorf("symmetric digests differ: %v, %v", sa, sb)
	}
	if da == db || sa == da {
		t.Errorf("plain digests %v, %v; symmetric %v", da, db, sa)
	}
	small := newWorld(t, contid.WithPidMax(5))
	if _, err := small.DigestSymmetric(10); err != syscall.ERANGE {
		t.Errorf("DigestSymmetric(10) with 3 pids left: %v, want ERANGE", err)
	}
	if _, err := small.DigestSymmetric(1 << 40); err != syscall.ERANGE {
		t.Errorf("DigestSymmetric(2^40): %v", err)
	}
}

func TestDigestOrbit(t *testing.T) {
	// init gives 5 and then 7 to two children, or 7 and then 5
	labelled := func(first, second uint64) *contid.World {
		w := newWorld(t)
		a := fork(t, w, initPid, 0)
		b := fork(t, w, initPid, 0)
		ok(t, "Set", w.Set(initPid, a, first))
		ok(t, "Set", w.Set(initPid, b, second))
		return w
	}
	x, y := labelled(5, 7), labelled(7, 5)
	values := []uint64{5, 7}
	ox, err := x.DigestOrbit(10, values)
	ok(t, "DigestOrbit", err)
	oy, err := y.DigestOrbit(10, values)
	ok(t, "DigestOrbit", err)
	sx, _ := x.DigestSymmetric(10)
	sy, _ := y.DigestSymmetric(10)
	if ox != oy || sx == sy {
		t.Errorf("orbit digests %v, %v; symmetric %v, %v", ox, oy, sx, sy)
	}
	if o, _ := x.DigestOrbit(0, nil); o != func() [2]uint64 { s, _ := x.DigestSymmetric(0); return s }() {
		t.Errorf("DigestOrbit with no values is not DigestSymmetric")
	}
	if _, err := x.DigestOrbit(0, []uint64{5, 5}); err != syscall.EINVAL {
		t.Errorf("DigestOrbit(5, 5): %v, want EINVAL", err)
	}
	if _, err := x.DigestOrbit(0, []uint64{contid.Unset}); err != syscall.EINVAL {
		t.Errorf("DigestOrbit(Unset): %v, want EINVAL", err)
	}
	if _, err := x.DigestOrbit(0, make([]uint64, contid.DigestValuesMax+1)); err != syscall.EINVAL {
		t.Errorf("DigestOrbit of %d values: %v, want EINVAL", contid.DigestValuesMax+1, err)
	}
}

func TestDigestCanonical(t *testing.T) {
	// init forks two children; the value goes to the one that then forks
	// a grandchild (or to the other); the worlds pick different children
	// and values
	world := func(parentFirst bool, labelChildless bool, value uint64) *contid.World {
		w := newWorld(t)
		a := fork(t, w, initPid, 0)
		b := fork(t, w, initPid, 0)
		parent, other := a, b
		if !parentFirst {
			parent, other = b, a
		}
		target := parent
		if labelChildless {
			target = other
		}
		ok(t, "Set", w.Set(initPid, target, value))
		fork(t, w, parent, 0)
		return w
	}
	values := []uint64{5, 7}
	x, y, z := world(true, false, 5), world(false, false, 7), world(false, true, 7)
	cx, err := x.DigestCanonical(10, values)
	ok(t, "DigestCanonical", err)
	cy, err := y.DigestCanonical(10, values)
	ok(t, "DigestCanonical", err)
	cz, err := z.DigestCanonical(10, values)
	ok(t, "DigestCanonical", err)
	ox, _ := x.DigestOrbit(10, values)
	oy, _ := y.DigestOrbit(10, values)
	if cx != cy || ox == oy {
		t.Errorf("canonical digests %v, %v; orbit %v, %v", cx, cy, ox, oy)
	}
	if cx == cz {
		t.Errorf("a value on the childless task has the same canonical digest")
	}
	if _, err := x.DigestCanonical(0, []uint64{5, 5}); err != syscall.EINVAL {
		t.Errorf("DigestCanonical(5, 5): %v, want EINVAL", err)
	}
}
