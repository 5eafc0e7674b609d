"""Every function of the binding, on both sides of its errors."""

import errno
import re
import threading

import pytest

import contid

INIT = 1


@pytest.fixture
def w():
    with contid.World() as world:
        yield world
        world.check()


def refused(excinfo, err, function, rule=None):
    e = excinfo.value
    assert isinstance(e, contid.RefusalError)
    assert isinstance(e, OSError)
    assert e.errno == err
    assert e.errno_name == errno.errorcode[err]
    assert e.function == function
    assert e.reason
    if rule is not None:
        assert e.rule == rule


def test_module_functions():
    assert re.fullmatch(r"\d+\.\d+\.\d+", contid.version())
    assert contid.version().split(".")[0] == str(contid.HEADER_VERSION[0])
    assert contid.profile_names() == ["v11", "v6", "v8", "v11-posted",
                                      "bits", "kernel-alloc"]
    assert contid.errno_name(errno.EPERM) == "EPERM"
    assert contid.errno_name(-errno.EXDEV) == "EXDEV"
    assert contid.errno_name(4095) is None
    assert contid.errno_from_name("eexist") == errno.EEXIST
    assert contid.errno_from_name("ENOTANERRNO") == 0
    assert contid.record_type_name(1020) == "CONTAINER_OP"
    assert contid.record_type_name(1) is None
    for t in contid.RecordType:
        assert contid.record_type_name(t) == t.name


def test_new_world_inspection(w):
    assert w.profile == "v11"
    assert w.task_count() == 1 and w.tasks() == [INIT]
    assert w.task_next(0) == INIT and w.task_next(INIT) is None
    assert w.task_state(INIT) is contid.TaskState.RUNNING
    assert w.task_tgid(INIT) == 1 and w.task_ppid(INIT) == 0
    assert w.task_uid(INIT) == 0 and w.task_userns_level(INIT) == 0
    for cap in contid.Cap:
        assert w.task_has_cap(INIT, cap) and w.task_capable(INIT, cap)
    assert not w.task_subreaper(INIT)
    assert w.task_contid(INIT) == contid.UNSET
    assert w.task_capcontid(INIT) == 0
    assert w.task_chain(INIT) == "-1"
    assert w.id_list() == [] and w.id_count() == 0
    assert w.task_netns_ids(INIT) == []
    assert w.last_refusal() is None
    assert isinstance(w.task_identity(INIT), int)
    with pytest.raises(ProcessLookupError) as ei:
        w.task_state(4000)
    assert type(ei.value).__mro__[1:3] == (contid.Error, ProcessLookupError)
    assert not isinstance(ei.value, contid.RefusalError)
    assert ei.value.function == "task_state"
    assert str(ei.value) == "contid: task_state: ESRCH"
    with pytest.raises(contid.Error) as ei:
        w.task_has_cap(INIT, contid.Cap.LAST_CAP + 1)
    assert ei.value.errno == errno.EINVAL


def test_settings_in_the_constructor():
    seen = []
    with contid.World(profile="v8", depth_limit=1, pid_max=50,
                      limits={contid.Limit.TASKS: 3, contid.Limit.IDS: 0},
                      audit=False, on_record=seen.append) as w:
        assert w.profile == "v8"
        a = w.fork(INIT)
        w.set(INIT, a, 7)
        b = w.fork(a)
        with pytest.raises(contid.RefusalError) as ei:
            w.fork(INIT)
        refused(ei, errno.EAGAIN, "fork")
        with pytest.raises(contid.RefusalError) as ei:
            w.set(a, b, 8)
        refused(ei, errno.EMLINK, "set", "V8-DEPTH")
        assert a < 50 and b < 50
        assert seen == []
    with pytest.raises(contid.Error) as ei:
        contid.World(profile="v99")
    assert ei.value.errno == errno.EINVAL
    assert ei.value.function == "set_profile"
    with pytest.raises(contid.Error):
        contid.World(pid_max=contid.PID_MAX_LIMIT + 1)
    with pytest.raises(contid.Error):
        contid.World(limits={9: 1})
    with pytest.raises(ValueError):
        contid.World(pid_max=-1)


def test_settings(w):
    w.set_profile("bits")
    w.set_depth_limit(0)
    w.set_pid_max(contid.PID_MAX_LIMIT)
    w.set_limit(contid.Limit.IDS, 10)
    w.set_audit(True)
    with pytest.raises(contid.Error) as ei:
        w.set_pid_max(1)
    assert ei.value.errno == errno.EINVAL
    a = w.fork(INIT)
    with pytest.raises(contid.Error) as ei:
        w.set_profile("v11")
    assert ei.value.errno == errno.EBUSY
    assert not isinstance(ei.value, contid.RefusalError)
    assert w.profile == "bits"
    w.set_task_name(a, "crun")
    for bad in ("", "x" * 256):
        with pytest.raises(contid.Error):
            w.set_task_name(a, bad)


def test_refusal_error(w):
    orch = w.fork(INIT)
    c1 = w.fork(orch)
    w.set(orch, c1, 100)
    with pytest.raises(FileExistsError) as ei:
        w.set(orch, c1, 100)
    refused(ei, errno.EEXIST, "set", "R-SET-5")
    assert str(ei.value) == ("contid: set: EEXIST (R-SET-5: the target has "
                             "an ID and the write does not nest)")
    assert ei.value.strerror == "File exists"
    assert w.last_refusal() == ("R-SET-5", ei.value.reason)
    w.fork(INIT)
    assert w.last_refusal() is None


def test_task_operations(w):
    a = w.fork(INIT)
    thread = w.fork(a, contid.Clone.THREAD)
    assert w.task_tgid(thread) == a
    sibling = w.fork(a, contid.Clone.PARENT)
    assert w.task_ppid(sibling) == INIT
    user = w.fork(a, contid.Clone.NEWUSER | contid.Clone.NEWNET)
    assert w.task_userns_level(user) == 1
    assert w.task_has_cap(user, contid.Cap.SYS_ADMIN)
    assert not w.task_capable(user, contid.Cap.SYS_ADMIN)
    with pytest.raises(contid.RefusalError) as ei:
        w.fork(a, contid.Clone.THREAD | contid.Clone.NEWUSER)
    refused(ei, errno.EINVAL, "fork")
    with pytest.raises(ProcessLookupError) as ei:
        w.fork(4000)
    refused(ei, errno.ESRCH, "fork", "ACTING-TASK")
    with pytest.raises(ProcessLookupError):
        w.fork(2**40)  # no pid_t holds it: no such task

    assert w.task_is_descendant(user, a)
    assert not w.task_is_descendant(a, user)

    w.unshare(a, contid.NS.NET)
    w.setns(a, contid.NS.NET, INIT)
    w.unshare(sibling, contid.NS.USER)
    with pytest.raises(contid.RefusalError) as ei:
        w.unshare(a, 99)
    refused(ei, errno.EINVAL, "unshare")
    with pytest.raises(contid.RefusalError) as ei:
        w.setns(a, 99, INIT)
    refused(ei, errno.EINVAL, "setns", "R-SETNS")

    w.setuid(a, 1000)
    assert w.task_uid(a) == 1000
    b = w.fork(INIT)
    w.drop_cap(b, contid.Cap.SETUID)
    assert not w.task_has_cap(b, contid.Cap.SETUID)
    with pytest.raises(PermissionError) as ei:
        w.setuid(b, 5)
    refused(ei, errno.EPERM, "setuid")
    with pytest.raises(contid.RefusalError) as ei:
        w.drop_cap(b, contid.Cap.LAST_CAP + 1)
    refused(ei, errno.EINVAL, "drop_cap")

    w.set_subreaper(b)
    assert w.task_subreaper(b)
    assert w.task_identity(a) != w.task_identity(b)

    c = w.fork(b)
    w.exit(c)
    assert w.task_state(c) is contid.TaskState.ZOMBIE
    with pytest.raises(contid.RefusalError) as ei:
        w.exit(c)
    refused(ei, errno.ESRCH, "exit")
    w.reap(c)
    with pytest.raises(ProcessLookupError):
        w.task_state(c)
    with pytest.raises(contid.RefusalError) as ei:
        w.reap(c)
    refused(ei, errno.ESRCH, "reap")
    with pytest.raises(ChildProcessError) as ei:
        w.reap(b)
    refused(ei, errno.ECHILD, "reap")
    with pytest.raises(PermissionError) as ei:
        w.exit(INIT)
    refused(ei, errno.EPERM, "exit")
    with pytest.raises(contid.RefusalError) as ei:
        w.set_subreaper(c)
    refused(ei, errno.ESRCH, "set_subreaper")


def test_ids(w):
    orch = w.fork(INIT)
    c1 = w.fork(orch)
    assert w.write(orch, c1, b"100\n") == 4
    with pytest.raises(contid.RefusalError) as ei:
        w.write(orch, c1, "")
    refused(ei, errno.EINVAL, "write")
    engine = w.fork(c1)
    c2 = w.fork(engine)
    w.set(engine, c2, 200)
    assert w.get(INIT, c2) == 200
    with pytest.raises(contid.RefusalError) as ei:
        w.get(c2, 4000)
    refused(ei, errno.ESRCH, "get")
    assert w.task_chain(c2) == "200,^100"
    assert w.task_contid(c2) == 200
    assert w.id_parent(200) == 100 and w.id_parent(100) == contid.UNSET
    assert w.id_owner(200) == (w.task_identity(engine), engine)
    assert w.id_users(100) == 2 and w.id_refs(100) == 3
    for f in (w.id_owner, w.id_parent, w.id_users, w.id_refs):
        with pytest.raises(FileNotFoundError):
            f(300)
    with pytest.raises(ValueError):
        w.set(orch, c1, -1)
    with pytest.raises(ValueError):
        w.id_parent(2**64)
    assert sorted(w.id_list()) == [100, 200] and w.id_count() == 2
    assert w.task_netns_ids(c2) == [200, 100]
    for f in (w.task_netns_ids, w.task_chain, w.task_contid):
        with pytest.raises(ProcessLookupError):
            f(4000)
    last = c2
    for v in range(10**18 + 1, 10**18 + 8):  # a chain longer than 64 bytes
        child = w.fork(last)
        w.set(last, child, v)
        last = child
    chain = w.task_chain(last)
    assert len(chain) > 64 and chain.endswith(",^200,^100")
    c3 = w.fork(orch)
    w.set(orch, c3, 100)
    with pytest.raises(contid.RefusalError) as ei:
        w.set(engine, c3, 100)
    refused(ei, errno.EXDEV, "set")


def test_capcontid(w):
    a = w.fork(INIT)
    b = w.fork(a)
    assert w.write_capcontid(INIT, a, "1") == 1
    assert w.get_capcontid(INIT, a) == 1
    w.set_capcontid(INIT, b, 3)
    assert w.task_capcontid(b) == 3
    with pytest.raises(contid.RefusalError) as ei:
        w.write_capcontid(INIT, a, bytearray(b"4294967296"))
    refused(ei, errno.ERANGE, "write_capcontid")
    with pytest.raises(contid.RefusalError) as ei:
        w.get_capcontid(INIT, 4000)
    refused(ei, errno.ESRCH, "get_capcontid")
    with pytest.raises(contid.RefusalError) as ei:
        w.set_capcontid(4000, a, 1)
    refused(ei, errno.ESRCH, "set_capcontid", "ACTING-TASK")
    with pytest.raises(ValueError):
        w.set_capcontid(INIT, a, 2**32)


def test_records_callback_and_iterator():
    seen = []
    with contid.World(on_record=seen.append, keep_records=True) as w:
        a = w.fork(INIT)
        w.set_task_name(a, "orch")
        c1 = w.fork(a)
        w.set(a, c1, 100)
        kept = list(w.records())
        assert kept == seen and list(w.records()) == []
        op, syscall = kept
        assert op.type is contid.RecordType.CONTAINER_OP
        assert syscall.type is contid.RecordType.SYSCALL
        assert str(op) == op.line
        assert op.fields()["op"] == "set"
        assert op.field("opid") == str(c1)
        assert op.field("contid") == "100"
        assert op.field("old-contid") == "-1"
        assert op.field("nosuchfield") is None
        assert syscall.field("comm") == "orch"
        assert contid.Record(1, "no fields").fields() == {}

        w.event(c1)
        w.packet(c1)
        w.set_capcontid(INIT, a, 1)
        assert [r.type.name for r in w.records()] == [
            "CONTAINER_ID", "SYSCALL", "CONTAINER_ID", "NETFILTER_PKT",
            "SET_CAPCONTID", "SYSCALL"]

        w.set_record_callback(None, keep_records=True)
        n = len(seen)
        w.event(c1)
        assert len(seen) == n and len(list(w.records())) == 2
        w.set_record_callback(None)
        w.event(c1)
        assert list(w.records()) == [] and len(seen) == n


def test_callback_reentrancy():
    out = {}

    def on_record(r):
        if r.type != contid.RecordType.CONTAINER_OP:
            return
        out["count"] = w.task_count()
        out["chain"] = w.task_chain(int(r.field("opid")))
        errs = []
        for call in (lambda: w.fork(INIT), w.close,
                     lambda: w.set_audit(False),
                     lambda: w.set_record_callback(None), w.clone):
            try:
                call()
            except contid.Error as e:
                errs.append(e.errno)
        out["errs"] = errs

    with contid.World(on_record=on_record) as w:
        a = w.fork(INIT)
        w.set(INIT, a, 5)
        assert out == {"count": 2, "chain": "-1",
                       "errs": [errno.EDEADLK] * 5}
        assert w.task_count() == 2 and not w.closed


def test_callback_exception():
    def boom(r):
        raise KeyError("boom")

    with contid.World(on_record=boom) as w:
        a = w.fork(INIT)
        with pytest.raises(KeyError):
            w.event(a)
        w.set_record_callback(None)
        w.event(a)
        w.check()


def test_clone_dump_digest(w):
    a = w.fork(INIT)
    w.set(INIT, a, 9)
    with w.clone() as c:
        assert c.dump() == w.dump() and "9" in w.dump()
        assert c.digest() == w.digest()
        c.fork(INIT)
        assert w.task_count() == 2 and c.task_count() == 3
        assert c.digest() != w.digest()


def test_closed_world():
    w = contid.World()
    assert repr(w) == "<contid.World profile=v11 tasks=1 ids=0>"
    w.close()
    assert repr(w) == "<contid.World closed>"
    w.close()
    assert w.closed
    with pytest.raises(contid.Error) as ei:
        w.fork(INIT)
    assert ei.value.errno == errno.EINVAL
    assert not isinstance(ei.value, contid.RefusalError)
    for f in (w.check, w.clone, w.dump, w.digest, w.id_list):
        with pytest.raises(contid.Error):
            f()
    assert w.profile is None and w.task_count() == 0 and w.id_count() == 0
    assert w.last_refusal() is None


def test_invariant_error():
    e = contid.InvariantError("INV-REFCOUNT: value 5 has 2 references")
    assert e.errno == errno.EUCLEAN and e.invariant == "INV-REFCOUNT"
    assert str(e) == "contid: invariant broken: INV-REFCOUNT: value 5 has 2 references"


def test_threads_share_a_world():
    # the binding's lock serialises the calls of several threads
    with contid.World() as w:
        def worker(base):
            for j in range(50):
                pid = w.fork(INIT)
                w.set(INIT, pid, base + j)
        threads = [threading.Thread(target=worker, args=(i * 100,))
                   for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert w.task_count() == 201 and w.id_count() == 200
        w.check()


def test_copy_from():
    with contid.World(profile="v8") as src, \
            contid.World(keep_records=True) as dst:
        a = src.fork(INIT, contid.Clone.NEWNET)
        src.set(INIT, a, 9)
        dst.fork(INIT)
        dst.fork(INIT)
        dst.copy_from(src)
        assert dst.dump() == src.dump() and dst.profile == "v8"
        list(dst.records())
        dst.event(a)
        assert list(dst.records()), "the copy lost its record callback"
        assert src.task_count() == 2
        dst.copy_from(dst)
        closed = contid.World()
        closed.close()
        with pytest.raises(contid.Error) as ei:
            dst.copy_from(closed)
        assert ei.value.errno == errno.EINVAL

        seen = []

        def copy_in_callback(r):
            try:
                cb.copy_from(src)
            except contid.Error as e:
                seen.append(e.errno)

        with contid.World(on_record=copy_in_callback) as cb:
            cb.event(INIT)
        assert seen and set(seen) == {errno.EDEADLK}


def test_digest_symmetric():
    with contid.World() as a, contid.World() as b:
        a.fork(INIT)
        a.fork(INIT)
        gone = b.fork(INIT)
        b.fork(INIT)
        b.fork(INIT)
        b.exit(gone)
        b.reap(gone)
        a.exit(3)  # live pids 1, 2 and 4 here, 1, 3 and 4 in b
        a.reap(3)
        a.fork(INIT)
        assert a.digest() != b.digest()
        assert a.digest_symmetric() == b.digest_symmetric(10)
        assert a.digest_symmetric() != a.digest()
    with contid.World(pid_max=5) as small:
        with pytest.raises(contid.Error) as ei:
            small.digest_symmetric(10)
        assert ei.value.errno == errno.ERANGE
        with pytest.raises(ValueError):
            small.digest_symmetric(2**40)


def test_digest_orbit():
    def labelled(first, second):
        w = contid.World()
        a = w.fork(INIT)
        b = w.fork(INIT)
        w.set(INIT, a, first)
        w.set(INIT, b, second)
        return w

    with labelled(5, 7) as x, labelled(7, 5) as y:
        assert x.digest_orbit(10, [5, 7]) == y.digest_orbit(10, [5, 7])
        assert x.digest_symmetric(10) != y.digest_symmetric(10)
        assert x.digest_orbit() == x.digest_symmetric()
        assert x.digest_orbit(0, [5, 8]) != y.digest_orbit(0, [5, 8])
        for bad in ([5, 5], [contid.UNSET],
                    list(range(1, contid.DIGEST_VALUES_MAX + 2))):
            with pytest.raises(contid.Error) as ei:
                x.digest_orbit(0, bad)
            assert ei.value.errno == errno.EINVAL
        with pytest.raises(ValueError):
            x.digest_orbit(0, [-1])


def test_digest_canonical():
    # init forks two children; the value goes to the one that then forks
    # a grandchild, or to the other
    def world(parent_first, label_childless, value):
        w = contid.World()
        a = w.fork(INIT)
        b = w.fork(INIT)
        parent, other = (a, b) if parent_first else (b, a)
        w.set(INIT, other if label_childless else parent, value)
        w.fork(parent)
        return w

    with world(True, False, 5) as x, world(False, False, 7) as y, \
            world(False, True, 7) as z:
        assert x.digest_canonical(10, [5, 7]) == y.digest_canonical(10, [5, 7])
        assert x.digest_orbit(10, [5, 7]) != y.digest_orbit(10, [5, 7])
        assert x.digest_canonical(10, [5, 7]) != z.digest_canonical(10, [5, 7])
        # without the values, 5 and 7 tell the worlds apart
        assert x.digest_canonical(10) != y.digest_canonical(10)
        with pytest.raises(contid.Error) as ei:
            x.digest_canonical(0, [5, 5])
        assert ei.value.errno == errno.EINVAL
