package contid

/*
#cgo pkg-config: libcontid
#include <stdint.h>
#include <stdlib.h>
#include <contid.h>

// shim.c
int contid_go_set_record_callback(struct contid_world *w, uintptr_t handle,
				  int on);
*/
import "C"

import (
	"fmt"
	"math"
	"runtime"
	"runtime/cgo"
	"syscall"
	"unsafe"
)

// Version returns the version of the libcontid loaded at run time,
// "MAJOR.MINOR.MICRO".
func Version() string {
	return C.GoString(C.contid_version())
}

// ProfileNames returns the names of the rule-set profiles, the default
// first: "v11", "v6", "v8", "v11-posted", "bits", "kernel-alloc".
func ProfileNames() []string {
	var names []string
	p := unsafe.Pointer(C.contid_profile_names())
	for i := uintptr(0); ; i++ {
		name := *(**C.char)(unsafe.Add(p, i*unsafe.Sizeof((*C.char)(nil))))
		if name == nil {
			return names
		}
		names = append(names, C.GoString(name))
	}
}

// World is one simulated machine. Create it with NewWorld and release it
// with Close.
type World struct {
	w      *C.struct_contid_world
	recv   *receiver
	handle cgo.Handle
}

// Option is a setting of a world, applied by NewWorld in the order given.
type Option func(*World) error

// WithProfile selects the rule set by name (see ProfileNames).
func WithProfile(name string) Option {
	return func(w *World) error { return w.SetProfile(name) }
}

// WithDepthLimit sets profile v8's nesting depth limit (0: none).
func WithDepthLimit(limit uint) Option {
	return func(w *World) error { return w.SetDepthLimit(limit) }
}

// WithPidMax sets the pid space: pids are handed out below pidMax.
func WithPidMax(pidMax uint) Option {
	return func(w *World) error { return w.SetPidMax(pidMax) }
}

// WithLimit caps how many tasks (LimitTasks) or ID objects (LimitIDs) the
// world may hold (0: no limit).
func WithLimit(what Limit, max uint64) Option {
	return func(w *World) error { return w.SetLimit(what, max) }
}

// WithAudit turns auditing on or off (it is on by default).
func WithAudit(enabled bool) Option {
	return func(w *World) error { return w.SetAudit(enabled) }
}

// WithRecordFunc delivers every record to fn (see SetRecordFunc).
func WithRecordFunc(fn func(Record)) Option {
	return func(w *World) error { return w.SetRecordFunc(fn) }
}

// WithRecordChan sends every record to ch (see SetRecordChan).
func WithRecordChan(ch chan<- Record) Option {
	return func(w *World) error { return w.SetRecordChan(ch) }
}

// NewWorld creates a world holding only init (pid 1, uid 0, every
// capability, the initial namespaces, no ID), profile "v11", pid_max
// 4194304, auditing on, then applies opts in order. An option that fails
// is named in the error, which wraps its syscall.Errno.
func NewWorld(opts ...Option) (*World, error) {
	var cw *C.struct_contid_world
	if ret := C.contid_world_new(&cw); ret < 0 {
		return nil, syscall.Errno(-ret)
	}
	w := wrap(cw)
	for i, opt := range opts {
		if err := opt(w); err != nil {
			w.Close()
			return nil, fmt.Errorf("contid: NewWorld option %d: %w", i+1, err)
		}
	}
	return w, nil
}

func wrap(cw *C.struct_contid_world) *World {
	w := &World{w: cw, recv: &receiver{}}
	w.handle = cgo.NewHandle(w.recv)
	return w
}

// Close frees the world and everything in it. It returns syscall.EDEADLK
// from the world's own record func (freeing a world part-way through an
// operation is undefined in C); closing a closed world does nothing.
func (w *World) Close() error {
	if w.w == nil {
		return nil
	}
	if w.recv.inCallback {
		return syscall.EDEADLK
	}
	C.contid_world_free(w.w)
	w.w = nil
	w.handle.Delete()
	return nil
}

// Clone returns an independent deep copy of the world, which answers and
// logs every later operation exactly as the world would. The copy delivers
// its records nowhere until it is given a func or a channel.
func (w *World) Clone() (*World, error) {
	var cw *C.struct_contid_world
	ret := C.contid_world_clone(w.w, &cw)
	if ret < 0 {
		return nil, syscall.Errno(-ret)
	}
	return wrap(cw), nil
}

// CopyFrom makes w the same deep copy of src that Clone would make, reusing
// the memory w holds where it can (copying a small world into a world of
// about its size allocates nothing, which makes it cheaper than Clone and
// Close). w keeps its own record func and channel. syscall.EINVAL when
// either world is closed; syscall.EDEADLK from the record func of either
// world; syscall.ENOMEM, w unchanged, when memory runs out. Copying a
// world into itself does nothing.
func (w *World) CopyFrom(src *World) error {
	return errno(C.contid_world_copy(w.w, src.w))
}

// errno turns a settings or inspection result into an error.
func errno(ret C.int) error {
	if ret >= 0 {
		return nil
	}
	return syscall.Errno(-ret)
}

// opErr turns an operation's result into an error: a *RefusalError when a
// rule refused it, the bare syscall.Errno when no rule did (ENOMEM is the
// machine's answer, and EDEADLK from a record func and EINVAL of a closed
// world are refused before the operation starts: the last refusal is then
// an older operation's). It also raises again a panic of the record func.
func (w *World) opErr(op string, ret C.int) error {
	defer w.recv.repanic()
	if ret >= 0 {
		return nil
	}
	e := syscall.Errno(-ret)
	if e == syscall.ENOMEM || e == syscall.EDEADLK || w.w == nil {
		return e
	}
	if rule, reason, ok := w.LastRefusal(); ok {
		return &RefusalError{Op: op, Errno: e, Rule: rule, Reason: reason}
	}
	return e
}

// cpid converts a pid; one that no pid_t can hold names no task.
func cpid(pid int) C.pid_t {
	if pid < math.MinInt32 || pid > math.MaxInt32 {
		return -1
	}
	return C.pid_t(pid)
}

// cuint converts to a C unsigned; false when n does not fit.
func cuint(n uint) (C.unsigned, bool) {
	return C.unsigned(n), n <= math.MaxUint32
}

func cbool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

// ------------------------------------------------------------- settings

// SetProfile selects the world's rule set by name: syscall.EINVAL for an
// unknown name, syscall.EBUSY after the first operation.
func (w *World) SetProfile(name string) error {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	return errno(C.contid_world_set_profile(w.w, cs))
}

// Profile returns the name of the world's profile ("" for a closed world).
func (w *World) Profile() string {
	p := C.contid_world_profile(w.w)
	if p == nil {
		return ""
	}
	return C.GoString(p)
}

// SetDepthLimit sets profile v8's nesting depth limit (default 4, 0: none):
// a write that would create a deeper chain is syscall.EMLINK.
// A limit that no C unsigned holds is syscall.EINVAL.
func (w *World) SetDepthLimit(limit uint) error {
	n, ok := cuint(limit)
	if !ok {
		return syscall.EINVAL
	}
	return errno(C.contid_world_set_depth_limit(w.w, n))
}

// SetPidMax sets the pid space: pids are handed out below pidMax, 2 to
// PidMaxLimit (else syscall.EINVAL).
func (w *World) SetPidMax(pidMax uint) error {
	n, ok := cuint(pidMax)
	if !ok {
		return syscall.EINVAL
	}
	return errno(C.contid_world_set_pid_max(w.w, n))
}

// SetLimit caps how large the world may grow: past LimitTasks a fork fails
// with syscall.EAGAIN, past LimitIDs a write that would create an ID object
// with syscall.ENOSPC. max 0 removes the limit.
func (w *World) SetLimit(what Limit, max uint64) error {
	return errno(C.contid_world_set_limit(w.w, C.int(what), C.ulong(max)))
}

// SetAudit turns auditing on or off: while off, no record is produced.
func (w *World) SetAudit(enabled bool) error {
	return errno(C.contid_world_set_audit(w.w, cbool(enabled)))
}

// SetTaskName names task pid for records: comm is name cut to 15 bytes,
// exe "/usr/bin/" + name. name must be 1 to 255 bytes.
func (w *World) SetTaskName(pid int, name string) error {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	return errno(C.contid_task_set_name(w.w, cpid(pid), cs))
}

// SetRecordFunc delivers every record to fn, nil to stop; it replaces an
// earlier func and keeps the channel of SetRecordChan. fn runs in the
// middle of the operation that logs the record, on the goroutine that runs
// it: it may read the world, not change it. A panic in fn is raised again
// by the method that ran the operation, after libcontid has finished it.
func (w *World) SetRecordFunc(fn func(Record)) error {
	return w.setReceiver(fn, w.recv.ch)
}

// SetRecordChan sends every record to ch, nil to stop; it replaces an
// earlier channel and keeps the func of SetRecordFunc. The send happens in
// the middle of the operation: it blocks that operation until the record
// is taken, so give a channel with room for the records of one operation
// (a few) or read it from another goroutine that does not touch the world.
func (w *World) SetRecordChan(ch chan<- Record) error {
	return w.setReceiver(w.recv.fn, ch)
}

func (w *World) setReceiver(fn func(Record), ch chan<- Record) error {
	on := cbool(fn != nil || ch != nil)
	ret := C.contid_go_set_record_callback(w.w, C.uintptr_t(w.handle), on)
	if ret < 0 {
		return syscall.Errno(-ret)
	}
	w.recv.fn, w.recv.ch = fn, ch
	return nil
}

// ----------------------------------------------------------- operations

// Fork makes parent clone a new task with flags and returns its pid
// (R-FORK, R-FORK-NS).
func (w *World) Fork(parent int, flags CloneFlags) (int, error) {
	var child C.pid_t
	ret := C.contid_fork(w.w, cpid(parent), C.unsigned(flags), &child)
	if err := w.opErr("Fork", ret); err != nil {
		return 0, err
	}
	return int(child), nil
}

// Exit makes task pid exit (R-EXIT).
func (w *World) Exit(pid int) error {
	return w.opErr("Exit", C.contid_exit(w.w, cpid(pid)))
}

// Reap makes the parent of zombie process pid wait for it (R-REAP).
func (w *World) Reap(pid int) error {
	return w.opErr("Reap", C.contid_reap(w.w, cpid(pid)))
}

// SetSubreaper marks the process of pid as a child subreaper.
func (w *World) SetSubreaper(pid int) error {
	return w.opErr("SetSubreaper", C.contid_set_subreaper(w.w, cpid(pid)))
}

// Unshare moves pid to a new namespace of kind ns (R-UNSHARE).
func (w *World) Unshare(pid int, ns Namespace) error {
	return w.opErr("Unshare", C.contid_unshare(w.w, cpid(pid), C.int(ns)))
}

// Setns makes pid join the namespace of kind ns of task other (R-SETNS).
func (w *World) Setns(pid int, ns Namespace, other int) error {
	return w.opErr("Setns",
		C.contid_setns(w.w, cpid(pid), C.int(ns), cpid(other)))
}

// Setuid sets pid's real, effective and saved uid (R-SETUID).
func (w *World) Setuid(pid int, uid uint32) error {
	return w.opErr("Setuid", C.contid_setuid(w.w, cpid(pid), C.uint32_t(uid)))
}

// DropCap removes cap from pid's effective set.
func (w *World) DropCap(pid int, cap Cap) error {
	return w.opErr("DropCap", C.contid_drop_cap(w.w, cpid(pid), C.int(cap)))
}

// cbytes returns a C view of b for the duration of a call (Go memory
// without Go pointers may be passed to C) and its length.
func cbytes(b []byte) (*C.char, C.size_t) {
	if len(b) == 0 {
		return nil, 0
	}
	return (*C.char)(unsafe.Pointer(&b[0])), C.size_t(len(b))
}

// Write writes buf to /proc/target/audit_containerid on behalf of writer
// (R-W-1, R-W-2, R-SET-0 .. R-SET-7) and returns the number of bytes
// written, len(buf).
func (w *World) Write(writer, target int, buf []byte) (int, error) {
	p, n := cbytes(buf)
	ret := C.contid_write(w.w, cpid(writer), cpid(target), p, n)
	runtime.KeepAlive(buf)
	if err := w.opErr("Write", ret); err != nil {
		return 0, err
	}
	return int(ret), nil
}

// Set writes id as decimal digits to /proc/target/audit_containerid on
// behalf of writer.
func (w *World) Set(writer, target int, id uint64) error {
	return w.opErr("Set",
		C.contid_set(w.w, cpid(writer), cpid(target), C.uint64_t(id)))
}

// Get reads /proc/target/audit_containerid as reader: target's ID, Unset
// when it has none.
func (w *World) Get(reader, target int) (uint64, error) {
	var id C.uint64_t
	ret := C.contid_get(w.w, cpid(reader), cpid(target), &id)
	if err := w.opErr("Get", ret); err != nil {
		return 0, err
	}
	return uint64(id), nil
}

// WriteCapContid writes buf to /proc/target/audit_capcontainerid on behalf
// of writer and returns len(buf).
func (w *World) WriteCapContid(writer, target int, buf []byte) (int, error) {
	p, n := cbytes(buf)
	ret := C.contid_write_capcontid(w.w, cpid(writer), cpid(target), p, n)
	runtime.KeepAlive(buf)
	if err := w.opErr("WriteCapContid", ret); err != nil {
		return 0, err
	}
	return int(ret), nil
}

// SetCapContid writes value as decimal digits to
// /proc/target/audit_capcontainerid on behalf of writer.
func (w *World) SetCapContid(writer, target int, value uint32) error {
	return w.opErr("SetCapContid", C.contid_set_capcontid(w.w, cpid(writer),
		cpid(target), C.uint32_t(value)))
}

// GetCapContid reads /proc/target/audit_capcontainerid as reader.
func (w *World) GetCapContid(reader, target int) (uint32, error) {
	var v C.uint32_t
	ret := C.contid_get_capcontid(w.w, cpid(reader), cpid(target), &v)
	if err := w.opErr("GetCapContid", ret); err != nil {
		return 0, err
	}
	return uint32(v), nil
}

// Event makes pid run an audited syscall (CONTAINER_ID and SYSCALL
// records).
func (w *World) Event(pid int) error {
	return w.opErr("Event", C.contid_event(w.w, cpid(pid)))
}

// Packet audits a packet in pid's network namespace.
func (w *World) Packet(pid int) error {
	return w.opErr("Packet", C.contid_packet(w.w, cpid(pid)))
}

// SetAuditd registers the process of pid as the audit daemon, replacing
// any other (R-SIG-AUDITD). It logs nothing.
func (w *World) SetAuditd(pid int) error {
	return w.opErr("SetAuditd", C.contid_set_auditd(w.w, cpid(pid)))
}

// Signal makes sender send sig to task target with kill(2) (R-SIG-SEND):
// nothing is delivered, but a SigTerm, SigHup, SigUsr1 or SigUsr2 sent to a
// thread of the audit daemon's process is recorded, and pins the sender's
// ID object (R-SIG-RELEASE) under the profiles that pin.
func (w *World) Signal(sender, target int, sig Signal) error {
	return w.opErr("Signal",
		C.contid_signal(w.w, cpid(sender), cpid(target), C.int(sig)))
}

// SignalInfo is the audit daemon's answer to "who signalled me?".
type SignalInfo struct {
	UID   uint32 // 4294967295 before any recorded signal
	Pid   int    // the sender's tgid; -1 before any recorded signal
	Chain string // the pinned object's chain ("4,^2,^1"), "" when none
}

// SignalInfo makes reader ask what the audit daemon's AUDIT_SIGNAL_INFO2
// request asks (R-SIG-INFO), then releases the pin.
func (w *World) SignalInfo(reader int) (SignalInfo, error) {
	var uid C.uint32_t
	var pid C.pid_t
	var chain *C.char
	ret := C.contid_signal_info(w.w, cpid(reader), &uid, &pid, &chain)
	if err := w.opErr("SignalInfo", ret); err != nil {
		return SignalInfo{}, err
	}
	defer C.free(unsafe.Pointer(chain))
	return SignalInfo{UID: uint32(uid), Pid: int(pid),
		Chain: C.GoString(chain)}, nil
}

// LastRefusal returns the rule that refused the world's last operation and
// why, or ok false when that operation succeeded or none has run. A
// RefusalError already carries both: this is for code that has only the
// errno.
func (w *World) LastRefusal() (rule, reason string, ok bool) {
	var r, why *C.char
	if C.contid_world_last_refusal(w.w, &r, &why) < 0 {
		return "", "", false
	}
	return C.GoString(r), C.GoString(why), true
}

// ----------------------------------------------------------- inspection

// TaskState returns TaskRunning or TaskZombie; syscall.ESRCH if pid is
// gone.
func (w *World) TaskState(pid int) (TaskState, error) {
	var s C.int
	if err := errno(C.contid_task_state(w.w, cpid(pid), &s)); err != nil {
		return 0, err
	}
	return TaskState(s), nil
}

// TaskIdentity returns a number that identifies task pid for the life of
// the world, never shared by two tasks even when a pid is reused (R-ID).
func (w *World) TaskIdentity(pid int) (uint64, error) {
	var id C.uint64_t
	if err := errno(C.contid_task_identity(w.w, cpid(pid), &id)); err != nil {
		return 0, err
	}
	return uint64(id), nil
}

// TaskTgid returns the thread group id (the leader's pid) of pid.
func (w *World) TaskTgid(pid int) (int, error) {
	var v C.pid_t
	if err := errno(C.contid_task_tgid(w.w, cpid(pid), &v)); err != nil {
		return 0, err
	}
	return int(v), nil
}

// TaskPpid returns the tgid of pid's real parent process (0 for init).
func (w *World) TaskPpid(pid int) (int, error) {
	var v C.pid_t
	if err := errno(C.contid_task_ppid(w.w, cpid(pid), &v)); err != nil {
		return 0, err
	}
	return int(v), nil
}

// TaskUID returns pid's uid.
func (w *World) TaskUID(pid int) (uint32, error) {
	var v C.uint32_t
	if err := errno(C.contid_task_uid(w.w, cpid(pid), &v)); err != nil {
		return 0, err
	}
	return uint32(v), nil
}

// TaskUsernsLevel returns pid's user namespace level (0: the initial one).
func (w *World) TaskUsernsLevel(pid int) (uint, error) {
	var v C.unsigned
	if err := errno(C.contid_task_userns_level(w.w, cpid(pid), &v)); err != nil {
		return 0, err
	}
	return uint(v), nil
}

// TaskHasCap reports whether cap is in pid's effective set (in its own
// user namespace).
func (w *World) TaskHasCap(pid int, cap Cap) (bool, error) {
	var v C.int
	if err := errno(C.contid_task_has_cap(w.w, cpid(pid), C.int(cap), &v)); err != nil {
		return false, err
	}
	return v != 0, nil
}

// TaskCapable reports whether pid is capable(cap): has it in the initial
// user namespace.
func (w *World) TaskCapable(pid int, cap Cap) (bool, error) {
	var v C.int
	if err := errno(C.contid_task_capable(w.w, cpid(pid), C.int(cap), &v)); err != nil {
		return false, err
	}
	return v != 0, nil
}

// TaskSubreaper reports whether pid's process is a child subreaper.
func (w *World) TaskSubreaper(pid int) (bool, error) {
	var v C.int
	if err := errno(C.contid_task_subreaper(w.w, cpid(pid), &v)); err != nil {
		return false, err
	}
	return v != 0, nil
}

// TaskContid returns pid's own ID, Unset when it has none.
func (w *World) TaskContid(pid int) (uint64, error) {
	var v C.uint64_t
	if err := errno(C.contid_task_contid(w.w, cpid(pid), &v)); err != nil {
		return 0, err
	}
	return uint64(v), nil
}

// TaskCapContid returns pid's capcontid (0 for a zombie).
func (w *World) TaskCapContid(pid int) (uint32, error) {
	var v C.uint32_t
	if err := errno(C.contid_task_capcontid(w.w, cpid(pid), &v)); err != nil {
		return 0, err
	}
	return uint32(v), nil
}

// TaskChain returns pid's nesting chain as records print it ("200,^100",
// "-1" when it has no ID).
func (w *World) TaskChain(pid int) (string, error) {
	buf := make([]byte, 64)
	for {
		ret := C.contid_task_chain(w.w, cpid(pid),
			(*C.char)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)))
		if ret < 0 {
			return "", syscall.Errno(-ret)
		}
		if int(ret) < len(buf) {
			return string(buf[:ret]), nil
		}
		buf = make([]byte, int(ret)+1)
	}
}

// TaskNetnsIDs returns the IDs held in pid's network namespace, front
// first (docs/semantics.md section 7).
func (w *World) TaskNetnsIDs(pid int) ([]uint64, error) {
	return list(func(p *C.uint64_t, max C.size_t) C.int {
		return C.contid_task_netns_ids(w.w, cpid(pid), p, max)
	})
}

// list calls a C listing function until the whole list fits.
func list(get func(*C.uint64_t, C.size_t) C.int) ([]uint64, error) {
	n := get(nil, 0)
	for {
		if n < 0 {
			return nil, syscall.Errno(-n)
		}
		vals := make([]uint64, int(n)+1)
		got := get((*C.uint64_t)(unsafe.Pointer(&vals[0])), C.size_t(len(vals)))
		if got <= n {
			if got < 0 {
				return nil, syscall.Errno(-got)
			}
			return vals[:got], nil
		}
		n = got
	}
}

// TaskIsDescendant reports whether task a strictly descends from task b
// (R-DESC, process granularity).
func (w *World) TaskIsDescendant(a, b int) (bool, error) {
	var v C.int
	if err := errno(C.contid_task_is_descendant(w.w, cpid(a), cpid(b), &v)); err != nil {
		return false, err
	}
	return v != 0, nil
}

// TaskNext returns the lowest pid above after of a task that is not gone,
// or syscall.ENOENT when there is none. Tasks lists them all.
func (w *World) TaskNext(after int) (int, error) {
	var next C.pid_t
	if err := errno(C.contid_task_next(w.w, cpid(after), &next)); err != nil {
		return 0, err
	}
	return int(next), nil
}

// Tasks returns the pids of the tasks that are not gone, in pid order.
func (w *World) Tasks() []int {
	var pids []int
	for pid, err := w.TaskNext(0); err == nil; pid, err = w.TaskNext(pid) {
		pids = append(pids, pid)
	}
	return pids
}

// TaskCount returns the number of tasks that are not gone.
func (w *World) TaskCount() int {
	return int(C.contid_task_count(w.w))
}

// IDOwner describes the live ID object holding value (syscall.ENOENT when
// none): the identity (TaskIdentity) of its owner task, and the owner's pid
// while that task exists (running or zombie), else 0.
func (w *World) IDOwner(value uint64) (identity uint64, pid int, err error) {
	var id C.uint64_t
	var p C.pid_t
	if err := errno(C.contid_id_owner(w.w, C.uint64_t(value), &id, &p)); err != nil {
		return 0, 0, err
	}
	return uint64(id), int(p), nil
}

// IDParent returns the value of the nesting parent of object value (Unset:
// none).
func (w *World) IDParent(value uint64) (uint64, error) {
	var v C.uint64_t
	if err := errno(C.contid_id_parent(w.w, C.uint64_t(value), &v)); err != nil {
		return 0, err
	}
	return uint64(v), nil
}

// IDUsers returns how many tasks hold object value.
func (w *World) IDUsers(value uint64) (uint, error) {
	var v C.unsigned
	if err := errno(C.contid_id_users(w.w, C.uint64_t(value), &v)); err != nil {
		return 0, err
	}
	return uint(v), nil
}

// IDRefs returns the reference count of object value (tasks plus nested
// objects).
func (w *World) IDRefs(value uint64) (uint, error) {
	var v C.unsigned
	if err := errno(C.contid_id_refs(w.w, C.uint64_t(value), &v)); err != nil {
		return 0, err
	}
	return uint(v), nil
}

// Pinned returns the value of the ID object the signal state pins
// (R-SIG-RELEASE), or syscall.ENOENT when nothing is pinned.
func (w *World) Pinned() (uint64, error) {
	var v C.uint64_t
	if err := errno(C.contid_pinned(w.w, &v)); err != nil {
		return 0, err
	}
	return uint64(v), nil
}

// Auditd returns the tgid of the process registered as the audit daemon,
// or syscall.ENOENT when there is none.
func (w *World) Auditd() (int, error) {
	var v C.pid_t
	if err := errno(C.contid_auditd(w.w, &v)); err != nil {
		return 0, err
	}
	return int(v), nil
}

// IDList returns the values of all live ID objects, in no particular
// order.
func (w *World) IDList() ([]uint64, error) {
	return list(func(p *C.uint64_t, max C.size_t) C.int {
		return C.contid_id_list(w.w, p, max)
	})
}

// IDCount returns the number of live ID objects.
func (w *World) IDCount() int {
	return int(C.contid_id_count(w.w))
}

// ------------------------------------------------------------ debugging

// Check checks every invariant of docs/semantics.md section 10: nil when
// all hold, else an *InvariantError (which unwraps to syscall.EUCLEAN).
func (w *World) Check() error {
	var msg [1024]C.char
	ret := C.contid_world_check(w.w, &msg[0], C.size_t(len(msg)))
	if ret == -C.int(syscall.EUCLEAN) {
		return newInvariantError(C.GoString(&msg[0]))
	}
	return errno(ret)
}

// Dump returns a canonical text description of the whole world; two worlds
// with equal dumps answer every later operation alike.
func (w *World) Dump() (string, error) {
	var text *C.char
	if err := errno(C.contid_world_dump(w.w, &text)); err != nil {
		return "", err
	}
	defer C.free(unsafe.Pointer(text))
	return C.GoString(text), nil
}

// Digest returns a 128-bit fingerprint of the world's canonical state
// (choice (o) of docs/semantics.md): two worlds with equal digests answer
// every later call alike but for timestamps, serials and identities.
func (w *World) Digest() ([2]uint64, error) {
	var d [2]C.uint64_t
	if err := errno(C.contid_world_digest(w.w, &d[0])); err != nil {
		return [2]uint64{}, err
	}
	return [2]uint64{uint64(d[0]), uint64(d[1])}, nil
}

// DigestSymmetric is Digest blind also to how the live pids are numbered
// (choice (q) of docs/semantics.md): each pid counts as its rank among the
// live pids, and the last pid handed out is left out. With forks above 0,
// a caller that makes at most that many more forks on either world (and
// no SetPidMax) may rely on equal digests answering alike, pids
// renumbered; syscall.ERANGE when that cannot be promised (pids have
// wrapped, or fewer than forks pids are left below pid_max).
func (w *World) DigestSymmetric(forks uint) ([2]uint64, error) {
	n, ok := cuint(forks)
	if !ok {
		return [2]uint64{}, syscall.ERANGE
	}
	var d [2]C.uint64_t
	if err := errno(C.contid_world_digest_symmetric(w.w, n, &d[0])); err != nil {
		return [2]uint64{}, err
	}
	return [2]uint64{uint64(d[0]), uint64(d[1])}, nil
}

// DigestOrbit is DigestSymmetric blind also to which of values (distinct,
// none Unset, at most DigestValuesMax) is which (choice (s) of
// docs/semantics.md): each of them the world uses reads as the entry of
// values whose place is the order in which the digest's walk first meets
// it. Worlds with equal orbit digests differ at most by a renumbering of
// their pids and a permutation of values; syscall.EINVAL for a value
// listed twice or Unset, syscall.ERANGE as DigestSymmetric.
func (w *World) DigestOrbit(forks uint, values []uint64) ([2]uint64, error) {
	return w.digestValues(forks, values, false)
}

// DigestCanonical is DigestOrbit blind also to the order of the live pids
// (choice (t) of docs/semantics.md): worlds that differ by any
// renumbering of their live pids and a permutation of values get equal
// digests (at most 32 live tasks and few look-alike tasks; other worlds
// get their orbit digest), and worlds with equal canonical digests differ
// at most by that. Errors as DigestOrbit.
func (w *World) DigestCanonical(forks uint, values []uint64) ([2]uint64, error) {
	return w.digestValues(forks, values, true)
}

// digestValues is DigestOrbit, or with canonical DigestCanonical.
func (w *World) digestValues(forks uint, values []uint64, canonical bool) ([2]uint64, error) {
	n, ok := cuint(forks)
	if !ok {
		return [2]uint64{}, syscall.ERANGE
	}
	var d [2]C.uint64_t
	var first *C.uint64_t
	cv := make([]C.uint64_t, len(values))
	for i, v := range values {
		cv[i] = C.uint64_t(v)
	}
	if len(cv) > 0 {
		first = &cv[0]
	}
	var r C.int
	if canonical {
		r = C.contid_world_digest_canonical(w.w, n, first, C.size_t(len(cv)), &d[0])
	} else {
		r = C.contid_world_digest_orbit(w.w, n, first, C.size_t(len(cv)), &d[0])
	}
	if err := errno(r); err != nil {
		return [2]uint64{}, err
	}
	return [2]uint64{uint64(d[0]), uint64(d[1])}, nil
}
