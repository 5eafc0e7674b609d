package contid_test

import (
	"errors"
	"reflect"
	"syscall"
	"testing"

	"libcontid.org/contid"
)

// The audit daemon, kill(2) and the pin (docs/semantics.md section 6a).
func TestSignals(t *testing.T) {
	var records []contid.Record
	w := newWorld(t, contid.WithRecordFunc(func(r contid.Record) { records = append(records, r) }))
	if _, err := w.Auditd(); err != syscall.ENOENT {
		t.Errorf("Auditd of a new world: %v, want the bare ENOENT", err)
	}
	if _, err := w.Pinned(); err != syscall.ENOENT {
		t.Errorf("Pinned of a new world: %v, want the bare ENOENT", err)
	}
	auditd := fork(t, w, initPid, 0)
	ok(t, "SetAuditd", w.SetAuditd(auditd))
	if pid, err := w.Auditd(); err != nil || pid != auditd {
		t.Errorf("Auditd() = %d, %v; want %d", pid, err, auditd)
	}
	weak := fork(t, w, initPid, 0)
	ok(t, "DropCap", w.DropCap(weak, contid.CapAuditControl))
	refused(t, w.SetAuditd(weak), "SetAuditd", syscall.EPERM, "")

	orch := fork(t, w, initPid, 0)
	c1 := fork(t, w, orch, 0)
	ok(t, "Set", w.Set(orch, c1, 100))
	refused(t, w.Signal(c1, auditd, contid.Signal(3)), "Signal", syscall.EINVAL, "")
	records = nil
	ok(t, "Signal", w.Signal(c1, auditd, contid.SigTerm))
	var types []contid.RecordType
	for _, r := range records {
		types = append(types, r.Type)
	}
	// the sender's audited syscall (it has an ID), then the target's
	// OBJ_PID (the daemon has no ID: no CONTAINER_ID of its own)
	want := []contid.RecordType{contid.RecordContainerID, contid.RecordSyscall,
		contid.RecordObjPid}
	if !reflect.DeepEqual(types, want) || contid.RecordObjPid.String() != "OBJ_PID" {
		t.Errorf("records of a kill: %v, want %v", types, want)
	}
	if v, err := w.Pinned(); err != nil || v != 100 {
		t.Errorf("Pinned() = %d, %v; want 100", v, err)
	}
	if refs, _ := w.IDRefs(100); refs != 2 {
		t.Errorf("100 has %d references, want its holder and the pin", refs)
	}

	_, err := w.SignalInfo(weak)
	refused(t, err, "SignalInfo", syscall.EPERM, "")
	info, err := w.SignalInfo(auditd)
	ok(t, "SignalInfo", err)
	if info != (contid.SignalInfo{UID: 0, Pid: c1, Chain: "100"}) {
		t.Errorf("SignalInfo() = %+v", info)
	}
	if _, err := w.Pinned(); !errors.Is(err, syscall.ENOENT) {
		t.Errorf("Pinned after SignalInfo: %v", err)
	}
	info, _ = w.SignalInfo(auditd)
	if info.Chain != "" || info.Pid != c1 {
		t.Errorf("a second SignalInfo() = %+v", info)
	}

	// A kill across uids needs CAP_KILL.
	ok(t, "Setuid", w.Setuid(weak, 1000))
	ok(t, "DropCap", w.DropCap(weak, contid.CapKill))
	refused(t, w.Signal(weak, c1, contid.SigKill), "Signal", syscall.EPERM, "")
	for sig, name := range map[contid.Signal]string{contid.SigHup: "SIGHUP",
		contid.SigInt: "SIGINT", contid.SigKill: "SIGKILL", contid.SigUsr1: "SIGUSR1",
		contid.SigUsr2: "SIGUSR2", contid.SigTerm: "SIGTERM", 3: "Signal(3)"} {
		if sig.String() != name {
			t.Errorf("Signal(%d).String() = %q", int(sig), sig.String())
		}
	}
}
