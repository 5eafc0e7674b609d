"""A test written the way an OCI runtime's Python test suite (crun's, say)
would use libcontid: each test takes a base configuration, changes what it
is about, "runs" the container through a helper that does what the
runtime does, and checks what the kernel would answer and log.

The helper plays the runtime's part in a simulated machine: the runtime
clones the container's init into the namespaces the configuration asks
for, writes the audit container ID from an annotation before the init
runs anything, and hands the init capcontid when asked to (a task's
capcontid is its own: its children start without it, so the engine that
may nest is the container's init itself)."""

import copy
import errno

import pytest

import contid

INIT = 1
ANNOTATION = "org.example.audit.containerid"
NESTING = "org.example.audit.allow-nesting"
CLONE_FLAGS = {"user": contid.Clone.NEWUSER, "network": contid.Clone.NEWNET}


def base_config():
    return {
        "process": {"args": ["/init"]},
        "linux": {"namespaces": [{"type": "user"}, {"type": "network"},
                                 {"type": "pid"}, {"type": "mount"}]},
        "annotations": {ANNOTATION: "100"},
    }


class Host:
    """A machine with the runtime started by init, its records kept."""

    def __init__(self, world):
        self.w = world
        self.runtime = self.spawn(INIT, "crun")

    def spawn(self, parent, name, flags=0):
        pid = self.w.fork(parent, flags)
        self.w.set_task_name(pid, name)
        return pid

    def run_container(self, conf):
        """What the runtime does for `crun run`: returns the init's pid."""
        flags = contid.Clone(0)
        for ns in conf["linux"]["namespaces"]:
            flags |= CLONE_FLAGS.get(ns["type"], 0)
        init = self.spawn(self.runtime, conf["process"]["args"][0][1:], flags)
        annotations = conf.get("annotations", {})
        if ANNOTATION in annotations:
            self.w.set(self.runtime, init, int(annotations[ANNOTATION]))
        if annotations.get(NESTING) == "true":
            self.w.set_capcontid(self.runtime, init, 1)
        return init

    def ops(self):
        return [r for r in self.w.records()
                if r.type == contid.RecordType.CONTAINER_OP]


@pytest.fixture
def host():
    with contid.World(keep_records=True) as w:
        yield Host(w)
        w.check()


def test_audit_containerid_annotation(host):
    init = host.run_container(base_config())
    [op] = host.ops()
    assert op.field("op") == "set"
    assert op.field("opid") == str(init)
    assert op.field("contid") == "100"
    assert host.w.get(host.runtime, init) == 100
    # the container's own processes inherit it
    sh = host.spawn(init, "sh")
    assert host.w.task_contid(sh) == 100


def test_no_annotation_no_id(host):
    conf = base_config()
    del conf["annotations"][ANNOTATION]
    init = host.run_container(conf)
    assert host.ops() == []
    assert host.w.task_contid(init) == contid.UNSET


def test_same_id_twice_is_refused(host):
    init = host.run_container(base_config())
    with pytest.raises(FileExistsError) as ei:
        host.w.set(host.runtime, init, 100)
    assert ei.value.rule == "R-SET-5"


def test_container_cannot_read_its_id(host):
    # root in its own user namespace only: reading the ID needs
    # CAP_AUDIT_CONTROL in the initial one, or capcontid
    init = host.run_container(base_config())
    with pytest.raises(PermissionError):
        host.w.get(init, init)


@pytest.mark.parametrize("nesting, expected", [
    ("false", errno.EPERM),
    ("true", None),
])
def test_nested_engine(host, nesting, expected):
    conf = copy.deepcopy(base_config())
    conf["process"]["args"] = ["/podman", "system", "service"]
    conf["annotations"][NESTING] = nesting
    engine = host.run_container(conf)
    nested = host.spawn(engine, "nested", contid.Clone.NEWUSER)
    if expected is not None:
        with pytest.raises(contid.RefusalError) as ei:
            host.w.set(engine, nested, 200)
        assert ei.value.errno == expected and ei.value.rule == "R-SET-2"
        return
    host.w.set(engine, nested, 200)
    assert host.w.task_chain(nested) == "200,^100"
    list(host.w.records())  # what the writes logged
    host.w.event(nested)
    [cid] = [r for r in host.w.records()
             if r.type == contid.RecordType.CONTAINER_ID]
    assert cid.field("contid") == "200,^100"


def test_engine_cannot_reach_a_sibling(host):
    conf = base_config()
    conf["annotations"][NESTING] = "true"
    engine = host.run_container(conf)
    conf["annotations"][ANNOTATION] = "300"
    other = host.run_container(conf)
    with pytest.raises(contid.RefusalError) as ei:
        host.w.set(engine, other, 200)
    assert ei.value.errno == errno.EXDEV


def test_id_released_with_the_container(host):
    init = host.run_container(base_config())
    host.w.exit(init)
    host.w.reap(init)
    with pytest.raises(FileNotFoundError):
        host.w.id_owner(100)
    assert [op.field("op") for op in host.ops()] == ["set", "drop"]
