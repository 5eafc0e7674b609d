"""The audit daemon, kill(2) and the pin (docs/semantics.md section 6a)."""

import errno

import pytest

import contid

INIT = 1


def test_signals():
    with contid.World(keep_records=True) as w:
        assert w.auditd() is None and w.pinned() is None
        auditd = w.fork(INIT)
        w.set_auditd(auditd)
        assert w.auditd() == auditd
        weak = w.fork(INIT)
        w.drop_cap(weak, contid.Cap.AUDIT_CONTROL)
        with pytest.raises(PermissionError) as ei:
            w.set_auditd(weak)
        assert isinstance(ei.value, contid.RefusalError)
        assert ei.value.function == "set_auditd"

        orch = w.fork(INIT)
        c1 = w.fork(orch)
        w.set(orch, c1, 100)
        with pytest.raises(contid.RefusalError) as ei:
            w.signal(c1, auditd, 3)
        assert ei.value.errno == errno.EINVAL
        list(w.records())
        w.signal(c1, auditd, contid.Signal.TERM)
        assert [r.type for r in w.records()] == [
            contid.RecordType.CONTAINER_ID, contid.RecordType.SYSCALL,
            contid.RecordType.OBJ_PID]
        assert w.pinned() == 100 and w.id_refs(100) == 2

        with pytest.raises(PermissionError):
            w.signal_info(weak)
        info = w.signal_info(auditd)
        assert info == contid.SignalInfo(uid=0, pid=c1, chain="100")
        assert w.pinned() is None
        assert w.signal_info(auditd) == (0, c1, "")

        w.setuid(weak, 1000)
        w.drop_cap(weak, contid.Cap.KILL)
        with pytest.raises(PermissionError) as ei:
            w.signal(weak, c1, contid.Signal.KILL)
        assert ei.value.function == "signal"
        w.check()
