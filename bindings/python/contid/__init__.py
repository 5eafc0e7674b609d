"""Python binding of libcontid, the reference model of the Linux audit
container identifier.

A :class:`World` is one simulated machine: tasks and processes, fork, exit
and reaping, user and network namespaces, capabilities, container ID
objects with their owners and nesting, and the audit records the kernel
would log.  Every method answers as libcontid's C function of the same
name does, errno for errno::

    import contid

    with contid.World() as w:
        orch = w.fork(1)
        c1 = w.fork(orch)
        w.set(orch, c1, 100)
        try:
            w.set(orch, c1, 100)
        except contid.RefusalError as e:
            print(e.errno_name, e.rule, e.reason)

Failures raise :class:`Error`, an :class:`OSError` whose ``errno`` is the
C function's errno; it is also an instance of Python's own subclass for
that errno where there is one (``FileExistsError`` for EEXIST,
``PermissionError`` for EPERM, ...).  An operation refused by a rule
raises :class:`RefusalError`, which names the rule and says why.

The binding is a thin layer over the shared library with ctypes (see
``contid._lib`` for how the library is found).
"""

from __future__ import annotations

import collections
import ctypes
import enum
import errno as _errno
import os
import threading
from ctypes import c_char_p, c_int, c_uint, c_uint32, c_uint64, c_void_p
from dataclasses import dataclass
from typing import (Any, Callable, Deque, Dict, Iterator, List, Mapping,
                    NamedTuple, Optional, Sequence, Tuple, Type, TypeVar,
                    Union)

from . import _lib
from ._lib import lib as _c

__all__ = [
    "Cap", "Clone", "DIGEST_VALUES_MAX", "Error", "HEADER_VERSION", "InvariantError", "Limit",
    "NS", "PID_MAX_LIMIT", "Record", "RecordType", "RefusalError",
    "Signal", "SignalInfo", "TaskState", "UNSET", "World", "errno_from_name", "errno_name",
    "profile_names", "record_type_name", "version",
]

# ----------------------------------------------------------- constants
# Each has the value of the CONTID_* macro of lib/contid.h named in
# C_MACROS below; the tests check that every macro of the header is there
# with its value.

#: The version of lib/contid.h this binding was written for;
#: :func:`version` gives the version of the library it runs with.
HEADER_VERSION: Tuple[int, int, int] = (0, 1, 0)

#: The value that means "no audit container ID" (2^64-1).
UNSET: int = 2**64 - 1

#: The highest pid_max a world accepts.
PID_MAX_LIMIT: int = 4194304

#: The most values :meth:`World.digest_orbit` treats alike.
DIGEST_VALUES_MAX: int = 64


class Clone(enum.IntFlag):
    """The flags of :meth:`World.fork`."""
    THREAD = 0x1   #: join the caller's thread group
    PARENT = 0x2   #: CLONE_PARENT: a sibling of the caller
    NEWUSER = 0x4  #: a new user namespace for the child
    NEWNET = 0x8   #: a new network namespace for the child


class NS(enum.IntEnum):
    """Namespace kinds, for :meth:`World.unshare` and :meth:`World.setns`."""
    USER = 1
    NET = 2


class Cap(enum.IntEnum):
    """Capabilities, numbered as in Linux's <linux/capability.h>."""
    KILL = 5
    SETUID = 7
    SYS_ADMIN = 21
    AUDIT_CONTROL = 30
    LAST_CAP = 40


class RecordType(enum.IntEnum):
    """Audit record types, numbered as in Linux's <linux/audit.h>."""
    CONTAINER_OP = 1020
    SET_CAPCONTID = 1022
    SYSCALL = 1300
    OBJ_PID = 1318
    NETFILTER_PKT = 1324
    CONTAINER_ID = 1336


class Signal(enum.IntEnum):
    """Signals :meth:`World.signal` sends, numbered as in Linux on
    x86-64."""
    HUP = 1
    INT = 2
    KILL = 9
    USR1 = 10
    USR2 = 12
    TERM = 15


class TaskState(enum.IntEnum):
    """What :meth:`World.task_state` reports."""
    RUNNING = 1
    ZOMBIE = 2


class Limit(enum.IntEnum):
    """What :meth:`World.set_limit` caps."""
    TASKS = 1  #: tasks that are not gone
    IDS = 2    #: live ID objects


#: Every CONTID_* macro of lib/contid.h and its Python counterpart.
C_MACROS: Mapping[str, int] = {
    "CONTID_VERSION_MAJOR": HEADER_VERSION[0],
    "CONTID_VERSION_MINOR": HEADER_VERSION[1],
    "CONTID_VERSION_MICRO": HEADER_VERSION[2],
    "CONTID_UNSET": UNSET,
    "CONTID_PID_MAX_LIMIT": PID_MAX_LIMIT,
    "CONTID_DIGEST_VALUES_MAX": DIGEST_VALUES_MAX,
    "CONTID_CLONE_THREAD": Clone.THREAD,
    "CONTID_CLONE_PARENT": Clone.PARENT,
    "CONTID_CLONE_NEWUSER": Clone.NEWUSER,
    "CONTID_CLONE_NEWNET": Clone.NEWNET,
    "CONTID_NS_USER": NS.USER,
    "CONTID_NS_NET": NS.NET,
    "CONTID_CAP_KILL": Cap.KILL,
    "CONTID_CAP_SETUID": Cap.SETUID,
    "CONTID_CAP_SYS_ADMIN": Cap.SYS_ADMIN,
    "CONTID_CAP_AUDIT_CONTROL": Cap.AUDIT_CONTROL,
    "CONTID_CAP_LAST_CAP": Cap.LAST_CAP,
    "CONTID_RECORD_CONTAINER_OP": RecordType.CONTAINER_OP,
    "CONTID_RECORD_SET_CAPCONTID": RecordType.SET_CAPCONTID,
    "CONTID_RECORD_SYSCALL": RecordType.SYSCALL,
    "CONTID_RECORD_OBJ_PID": RecordType.OBJ_PID,
    "CONTID_RECORD_NETFILTER_PKT": RecordType.NETFILTER_PKT,
    "CONTID_RECORD_CONTAINER_ID": RecordType.CONTAINER_ID,
    "CONTID_SIG_HUP": Signal.HUP,
    "CONTID_SIG_INT": Signal.INT,
    "CONTID_SIG_KILL": Signal.KILL,
    "CONTID_SIG_USR1": Signal.USR1,
    "CONTID_SIG_USR2": Signal.USR2,
    "CONTID_SIG_TERM": Signal.TERM,
    "CONTID_TASK_RUNNING": TaskState.RUNNING,
    "CONTID_TASK_ZOMBIE": TaskState.ZOMBIE,
    "CONTID_LIMIT_TASKS": Limit.TASKS,
    "CONTID_LIMIT_IDS": Limit.IDS,
}

# ----------------------------------------------------------- functions


def _str(p: Optional[bytes]) -> Optional[str]:
    return None if p is None else p.decode("utf-8", "replace")


def version() -> str:
    """The version of the libcontid loaded, "MAJOR.MINOR.MICRO"."""
    return _str(_c.contid_version()) or ""


def profile_names() -> List[str]:
    """The rule-set profiles, the default first ("v11", "v6", ...)."""
    names = _c.contid_profile_names()
    out = []
    i = 0
    while names[i] is not None:
        out.append(names[i].decode())
        i += 1
    return out


def errno_name(err: int) -> Optional[str]:
    """"EPERM" for errno.EPERM (or its negative), None for unknown numbers."""
    return _str(_c.contid_errno_name(err))


def errno_from_name(name: str) -> int:
    """The errno of a name such as "EPERM", in any case; 0 if unknown."""
    return int(_c.contid_errno_from_name(name.encode()))


def record_type_name(type: int) -> Optional[str]:
    """"CONTAINER_OP" for 1020 and so on; None for other types."""
    return _str(_c.contid_record_type_name(type))


# -------------------------------------------------------------- errors


class Error(OSError):
    """A libcontid function failed.

    ``errno`` is its errno, ``strerror`` the system's text for it,
    ``errno_name`` its name ("EEXIST") and ``function`` the method that
    failed.  Raised as a class that is also Python's own subclass of
    OSError for the errno where there is one: ``except FileExistsError``
    catches an EEXIST.
    """

    errno_name: str
    function: str

    def __init__(self, err: int, function: str = "") -> None:
        super().__init__(err, os.strerror(err))
        self.errno_name = errno_name(err) or f"errno {err}"
        self.function = function

    def __str__(self) -> str:
        return f"contid: {self.function}: {self.errno_name}"


class RefusalError(Error):
    """An operation that a rule refused: ``rule`` is the rule's ID
    ("R-SET-3", or libcontid's own such as "ACTING-TASK") and ``reason``
    a line that says why ("the target has children")."""

    rule: str
    reason: str

    def __init__(self, err: int, function: str = "", rule: str = "",
                 reason: str = "") -> None:
        super().__init__(err, function)
        self.rule = rule
        self.reason = reason

    def __str__(self) -> str:
        return (f"contid: {self.function}: {self.errno_name} "
                f"({self.rule}: {self.reason})")


class InvariantError(Error):
    """:meth:`World.check` found a broken invariant (errno EUCLEAN):
    ``invariant`` is its name ("INV-REFCOUNT"), ``message`` the whole
    description."""

    invariant: str
    message: str

    def __init__(self, message: str, function: str = "check") -> None:
        super().__init__(_errno.EUCLEAN, function)
        self.message = message
        self.invariant = message.split(":", 1)[0]

    def __str__(self) -> str:
        return f"contid: invariant broken: {self.message}"


# errno -> Python's own OSError subclass for it (what OSError(errno, ...)
# itself would turn into).
_BUILTIN: Dict[int, Type[OSError]] = {}
for _cls in (BlockingIOError, ChildProcessError, ConnectionError,
             BrokenPipeError, ConnectionAbortedError, ConnectionRefusedError,
             ConnectionResetError, FileExistsError, FileNotFoundError,
             InterruptedError, IsADirectoryError, NotADirectoryError,
             PermissionError, ProcessLookupError, TimeoutError):
    for _n in range(1, 200):
        if type(OSError(_n, "")) is _cls:
            _BUILTIN[_n] = _cls
_MIXED: Dict[Tuple[type, int], type] = {}


_E = TypeVar("_E", bound=Error)


def _error_class(base: Type[_E], err: int) -> Type[_E]:
    builtin = _BUILTIN.get(err)
    if builtin is None:
        return base
    cls = _MIXED.get((base, err))
    if cls is None:
        cls = type(base.__name__, (base, builtin),
                   {"__module__": __name__,
                    "__qualname__": base.__qualname__})
        _MIXED[(base, err)] = cls
    return cls


def _error(err: int, function: str) -> Error:
    return _error_class(Error, err)(err, function)


# ------------------------------------------------------------- records


@dataclass(frozen=True)
class Record:
    """One audit record: its type and its raw log line, without a trailing
    newline ("type=CONTAINER_OP msg=audit(1700000000.000:1): op=set ...").
    """

    type: Union[RecordType, int]
    line: str

    def fields(self) -> Dict[str, str]:
        """The key=value fields after "): ", quotes around values removed."""
        _, sep, rest = self.line.partition("): ")
        out: Dict[str, str] = {}
        if not sep:
            return out
        for f in rest.split(" "):
            key, eq, value = f.partition("=")
            if not eq or key in out:
                continue
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1]
            out[key] = value
        return out

    def field(self, key: str) -> Optional[str]:
        """The value of one field, None when the record has none."""
        return self.fields().get(key)

    def __str__(self) -> str:
        return self.line


RecordCallback = Callable[[Record], None]


class SignalInfo(NamedTuple):
    """The audit daemon's answer to "who signalled me?"
    (:meth:`World.signal_info`)."""

    uid: int    #: 4294967295 before any recorded signal
    pid: int    #: the sender's tgid; -1 before any recorded signal
    chain: str  #: the pinned object's chain ("4,^2,^1"), "" when none

# --------------------------------------------------------------- world

_Buffer = Union[bytes, bytearray, str]


def _bytes(data: _Buffer) -> bytes:
    return data.encode() if isinstance(data, str) else bytes(data)


def _pid(pid: int) -> int:
    # A number no pid_t holds names no task.
    return pid if -2**31 <= pid < 2**31 else -1


def _u(value: int, bits: int, what: str) -> int:
    if not 0 <= value < 2**bits:
        raise ValueError(f"contid: {what} {value} does not fit in {bits} bits")
    return value


class World:
    """One simulated machine, holding only init (pid 1, uid 0, every
    capability, the initial namespaces, no ID) when created.

    The keyword arguments are settings applied in this order: ``profile``
    (see :func:`profile_names`; "v11" by default), ``depth_limit`` (v8's),
    ``pid_max``, ``limits`` (a mapping of :class:`Limit` to a maximum),
    ``audit`` (True by default), ``on_record`` (a callable given each
    :class:`Record`) and ``keep_records`` (keep every record for
    :meth:`records`).

    Use it as a context manager, or call :meth:`close`.  A world may be
    shared by threads: calls are serialised by a lock.
    """

    def __init__(self, *, profile: Optional[str] = None,
                 depth_limit: Optional[int] = None,
                 pid_max: Optional[int] = None,
                 limits: Optional[Mapping[Limit, int]] = None,
                 audit: Optional[bool] = None,
                 on_record: Optional[RecordCallback] = None,
                 keep_records: bool = False) -> None:
        self._w: Optional[int] = None
        self._lock = threading.RLock()
        self._on_record: Optional[RecordCallback] = None
        self._kept: Optional[Deque[Record]] = None
        self._in_callback = 0
        self._pending: Optional[BaseException] = None
        self._c_callback = _lib.RECORD_FN(self._deliver)
        self._w = self._new()
        try:
            if profile is not None:
                self.set_profile(profile)
            if depth_limit is not None:
                self.set_depth_limit(depth_limit)
            if pid_max is not None:
                self.set_pid_max(pid_max)
            for what, max_ in (limits or {}).items():
                self.set_limit(what, max_)
            if audit is not None:
                self.set_audit(audit)
            if on_record is not None or keep_records:
                self.set_record_callback(on_record, keep_records=keep_records)
        except BaseException:
            self.close()
            raise

    @staticmethod
    def _new() -> int:
        w = c_void_p()
        ret = _c.contid_world_new(ctypes.byref(w))
        if ret < 0:
            raise _error(-ret, "World")
        return w.value or 0

    @classmethod
    def _adopt(cls, w: int) -> "World":
        self = cls.__new__(cls)
        self._w = w
        self._lock = threading.RLock()
        self._on_record = None
        self._kept = None
        self._in_callback = 0
        self._pending = None
        self._c_callback = _lib.RECORD_FN(self._deliver)
        return self

    # ------------------------------------------------------- life

    def close(self) -> None:
        """Frees the world.  Closing a closed world does nothing; from the
        world's own record callback it raises an EDEADLK :class:`Error`
        (freeing a world part-way through an operation is undefined in
        C).  A closed world's methods raise EINVAL, as the C functions do
        for a NULL world."""
        with self._lock:
            if self._in_callback:
                raise _error(_errno.EDEADLK, "close")
            if self._w:
                _c.contid_world_free(self._w)
                self._w = None

    def __enter__(self) -> "World":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        # A world nobody closed; at interpreter exit the module may be
        # half torn down already.
        if getattr(self, "_w", None) and not self._in_callback:
            try:
                _c.contid_world_free(self._w)
            except Exception:
                pass
            self._w = None

    def __repr__(self) -> str:
        if not self._w:
            return "<contid.World closed>"
        return (f"<contid.World profile={self.profile} "
                f"tasks={self.task_count()} ids={self.id_count()}>")

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has run."""
        return not self._w

    def clone(self) -> "World":
        """An independent deep copy that answers and logs every later
        operation as this world would; its records go nowhere until it is
        given a callback."""
        with self._lock:
            out = c_void_p()
            self._check(_c.contid_world_clone(self._w, ctypes.byref(out)),
                        "clone")
            return World._adopt(out.value or 0)

    def copy_from(self, src: "World") -> None:
        """Makes this world the same deep copy of src that :meth:`clone`
        would make, reusing the memory it holds where it can (cheaper than
        a clone and a close); it keeps its own record callback and kept
        records.  EDEADLK from either world's record callback; copying a
        world into itself does nothing."""
        # the two locks always in the same order, whichever way round two
        # threads copy
        first, second = sorted((self, src), key=id)
        with first._lock, second._lock:
            self._check(_c.contid_world_copy(self._w, src._w), "copy_from")

    # ------------------------------------------------------ calls

    def _check(self, ret: int, function: str) -> int:
        if ret < 0:
            raise _error(-ret, function)
        return ret

    def _op(self, ret: int, function: str) -> int:
        """An operation's result: raises the record callback's exception,
        then a RefusalError when a rule refused it (not for ENOMEM, the
        machine's answer, nor for EDEADLK or EINVAL of a closed world,
        refused before the operation starts)."""
        pending, self._pending = self._pending, None
        if pending is not None:
            raise pending
        if ret >= 0:
            return ret
        err = -ret
        if err not in (_errno.ENOMEM, _errno.EDEADLK) and self._w:
            refusal = self.last_refusal()
            if refusal is not None:
                raise _error_class(RefusalError, err)(err, function,
                                                      *refusal)
        raise _error(err, function)

    # -------------------------------------------------- settings

    def set_profile(self, name: str) -> None:
        """Selects the rule set by name: EINVAL for an unknown one, EBUSY
        after the first operation."""
        with self._lock:
            self._check(_c.contid_world_set_profile(self._w, name.encode()),
                        "set_profile")

    @property
    def profile(self) -> Optional[str]:
        """The name of the world's profile (None once closed)."""
        with self._lock:
            return _str(_c.contid_world_profile(self._w))

    def set_depth_limit(self, limit: int) -> None:
        """Profile v8's nesting depth limit (default 4, 0: none)."""
        with self._lock:
            self._check(_c.contid_world_set_depth_limit(
                self._w, _u(limit, 32, "depth limit")), "set_depth_limit")

    def set_pid_max(self, pid_max: int) -> None:
        """Pids are handed out below pid_max, 2 to PID_MAX_LIMIT."""
        with self._lock:
            self._check(_c.contid_world_set_pid_max(
                self._w, _u(pid_max, 32, "pid_max")), "set_pid_max")

    def set_limit(self, what: Limit, max: int) -> None:
        """Caps the tasks (EAGAIN past it) or ID objects (ENOSPC); 0 for
        no limit."""
        with self._lock:
            self._check(_c.contid_world_set_limit(
                self._w, what, _u(max, 64, "limit")), "set_limit")

    def set_audit(self, enabled: bool) -> None:
        """Turns auditing on or off: while off, no record is produced."""
        with self._lock:
            self._check(_c.contid_world_set_audit(self._w, bool(enabled)),
                        "set_audit")

    def set_task_name(self, pid: int, name: str) -> None:
        """Names a task for records (comm is name cut to 15 bytes, exe
        "/usr/bin/NAME"); 1 to 255 bytes."""
        with self._lock:
            self._check(_c.contid_task_set_name(self._w, _pid(pid),
                                                name.encode()),
                        "set_task_name")

    def set_record_callback(self, fn: Optional[RecordCallback],
                            *, keep_records: bool = False) -> None:
        """Delivers every record to fn and, with keep_records, keeps it
        for :meth:`records`; None and False stop both.

        fn runs in the middle of the operation that logs the record: it
        may read the world (inspection works), not change it (every
        changing method raises EDEADLK there).  An exception it raises
        comes out of the method that ran the operation, once libcontid has
        finished it; the operation's later records are then dropped.
        """
        with self._lock:
            on = fn is not None or keep_records
            self._check(_c.contid_world_set_record_callback(
                self._w, self._c_callback if on else _lib.RECORD_FN(0),
                None), "set_record_callback")
            self._on_record = fn
            if not keep_records:
                self._kept = None
            elif self._kept is None:
                self._kept = collections.deque()

    def _deliver(self, _userdata: Optional[int], type_: int,
                 line: Any, length: int) -> None:
        # Called by libcontid; an exception must not be lost in ctypes,
        # which would only print it.
        if self._pending is not None:
            return
        try:
            t: Union[RecordType, int]
            try:
                t = RecordType(type_)
            except ValueError:
                t = type_
            rec = Record(t, ctypes.string_at(line, length).decode(
                "utf-8", "replace"))
            if self._kept is not None:
                self._kept.append(rec)
            if self._on_record is not None:
                self._in_callback += 1
                try:
                    self._on_record(rec)
                finally:
                    self._in_callback -= 1
        except BaseException as e:  # re-raised by _op
            self._pending = e

    def records(self) -> Iterator[Record]:
        """Yields the records kept (``keep_records=True``) and not yet
        taken, oldest first, removing each as it goes: a loop over it after
        a few operations sees the records they logged."""
        while self._kept:
            yield self._kept.popleft()

    # ------------------------------------------------ operations

    def fork(self, parent: int, flags: int = 0) -> int:
        """parent clones a new task with :class:`Clone` flags; returns its
        pid (R-FORK, R-FORK-NS)."""
        with self._lock:
            child = c_int()
            self._op(_c.contid_fork(self._w, _pid(parent), flags,
                                    ctypes.byref(child)), "fork")
            return child.value

    def exit(self, pid: int) -> None:
        """Task pid exits (R-EXIT)."""
        with self._lock:
            self._op(_c.contid_exit(self._w, _pid(pid)), "exit")

    def reap(self, pid: int) -> None:
        """The parent of zombie process pid waits for it (R-REAP)."""
        with self._lock:
            self._op(_c.contid_reap(self._w, _pid(pid)), "reap")

    def set_subreaper(self, pid: int) -> None:
        """Marks pid's process as a child subreaper."""
        with self._lock:
            self._op(_c.contid_set_subreaper(self._w, _pid(pid)),
                     "set_subreaper")

    def unshare(self, pid: int, ns: NS) -> None:
        """pid moves to a new namespace of kind ns (R-UNSHARE)."""
        with self._lock:
            self._op(_c.contid_unshare(self._w, _pid(pid), ns), "unshare")

    def setns(self, pid: int, ns: NS, other: int) -> None:
        """pid joins the namespace of kind ns of task other (R-SETNS)."""
        with self._lock:
            self._op(_c.contid_setns(self._w, _pid(pid), ns, _pid(other)),
                     "setns")

    def setuid(self, pid: int, uid: int) -> None:
        """pid sets its real, effective and saved uid (R-SETUID)."""
        with self._lock:
            self._op(_c.contid_setuid(self._w, _pid(pid), _u(uid, 32, "uid")),
                     "setuid")

    def drop_cap(self, pid: int, cap: int) -> None:
        """Removes cap from pid's effective set."""
        with self._lock:
            self._op(_c.contid_drop_cap(self._w, _pid(pid), cap), "drop_cap")

    def write(self, writer: int, target: int, data: _Buffer) -> int:
        """Writes data to /proc/target/audit_containerid on behalf of
        writer; returns the number of bytes written."""
        buf = _bytes(data)
        with self._lock:
            return self._op(_c.contid_write(self._w, _pid(writer),
                                            _pid(target), buf, len(buf)),
                            "write")

    def set(self, writer: int, target: int, id: int) -> None:
        """Writes id's decimal digits to /proc/target/audit_containerid on
        behalf of writer."""
        with self._lock:
            self._op(_c.contid_set(self._w, _pid(writer), _pid(target),
                                   _u(id, 64, "ID")), "set")

    def get(self, reader: int, target: int) -> int:
        """Reads /proc/target/audit_containerid as reader: the target's ID,
        UNSET when it has none."""
        with self._lock:
            out = c_uint64()
            self._op(_c.contid_get(self._w, _pid(reader), _pid(target),
                                   ctypes.byref(out)), "get")
            return out.value

    def write_capcontid(self, writer: int, target: int,
                        data: _Buffer) -> int:
        """Writes data to /proc/target/audit_capcontainerid on behalf of
        writer; returns the number of bytes written."""
        buf = _bytes(data)
        with self._lock:
            return self._op(_c.contid_write_capcontid(
                self._w, _pid(writer), _pid(target), buf, len(buf)),
                "write_capcontid")

    def set_capcontid(self, writer: int, target: int, value: int) -> None:
        """Writes value's decimal digits to
        /proc/target/audit_capcontainerid on behalf of writer."""
        with self._lock:
            self._op(_c.contid_set_capcontid(self._w, _pid(writer),
                                             _pid(target),
                                             _u(value, 32, "capcontid")),
                     "set_capcontid")

    def get_capcontid(self, reader: int, target: int) -> int:
        """Reads /proc/target/audit_capcontainerid as reader."""
        with self._lock:
            out = c_uint32()
            self._op(_c.contid_get_capcontid(self._w, _pid(reader),
                                             _pid(target),
                                             ctypes.byref(out)),
                     "get_capcontid")
            return out.value

    def event(self, pid: int) -> None:
        """pid makes an audited syscall (CONTAINER_ID, SYSCALL records)."""
        with self._lock:
            self._op(_c.contid_event(self._w, _pid(pid)), "event")

    def packet(self, pid: int) -> None:
        """A packet is audited in pid's network namespace."""
        with self._lock:
            self._op(_c.contid_packet(self._w, _pid(pid)), "packet")

    def set_auditd(self, pid: int) -> None:
        """Registers pid's process as the audit daemon, replacing any
        other (R-SIG-AUDITD); logs nothing."""
        with self._lock:
            self._op(_c.contid_set_auditd(self._w, _pid(pid)), "set_auditd")

    def signal(self, sender: int, target: int, sig: int) -> None:
        """sender sends sig (a :class:`Signal`) to task target with kill(2)
        (R-SIG-SEND).  Nothing is delivered; a TERM, HUP, USR1 or USR2 sent
        to a thread of the audit daemon's process is recorded and pins the
        sender's ID object under the profiles that pin."""
        with self._lock:
            self._op(_c.contid_signal(self._w, _pid(sender), _pid(target),
                                      sig), "signal")

    def signal_info(self, reader: int) -> SignalInfo:
        """reader asks what the daemon's AUDIT_SIGNAL_INFO2 asks
        (R-SIG-INFO); the pin is then released."""
        uid, pid, chain = c_uint32(), c_int(), c_void_p()
        with self._lock:
            self._op(_c.contid_signal_info(self._w, _pid(reader),
                                           ctypes.byref(uid),
                                           ctypes.byref(pid),
                                           ctypes.byref(chain)),
                     "signal_info")
        try:
            text = ctypes.string_at(chain.value or 0).decode("utf-8", "replace")
        finally:
            _lib.free(chain)
        return SignalInfo(uid.value, pid.value, text)

    def last_refusal(self) -> Optional[Tuple[str, str]]:
        """(rule, reason) of the rule that refused the last operation, or
        None when it succeeded or none has run.  A RefusalError carries
        both already."""
        rule, reason = c_char_p(), c_char_p()
        with self._lock:
            ret = _c.contid_world_last_refusal(self._w, ctypes.byref(rule),
                                               ctypes.byref(reason))
        if ret < 0:
            return None
        return _str(rule.value) or "", _str(reason.value) or ""

    # ------------------------------------------------ inspection

    def _get(self, fn: Any, ctype: Any, function: str, *args: Any) -> Any:
        out = ctype()
        with self._lock:
            self._check(fn(self._w, *args, ctypes.byref(out)), function)
        return out.value

    def task_state(self, pid: int) -> TaskState:
        """RUNNING or ZOMBIE; ESRCH if the task is gone."""
        return TaskState(self._get(_c.contid_task_state, c_int, "task_state",
                                   _pid(pid)))

    def task_identity(self, pid: int) -> int:
        """A number that identifies the task for the life of the world
        (never shared, even when a pid is reused: R-ID)."""
        return int(self._get(_c.contid_task_identity, c_uint64,
                             "task_identity", _pid(pid)))

    def task_tgid(self, pid: int) -> int:
        """The thread group id (the leader's pid)."""
        return int(self._get(_c.contid_task_tgid, c_int, "task_tgid",
                             _pid(pid)))

    def task_ppid(self, pid: int) -> int:
        """The tgid of the real parent process (0 for init)."""
        return int(self._get(_c.contid_task_ppid, c_int, "task_ppid",
                             _pid(pid)))

    def task_uid(self, pid: int) -> int:
        """The task's uid."""
        return int(self._get(_c.contid_task_uid, c_uint32, "task_uid",
                             _pid(pid)))

    def task_userns_level(self, pid: int) -> int:
        """The user namespace level (0 for the initial one)."""
        return int(self._get(_c.contid_task_userns_level, c_uint,
                             "task_userns_level", _pid(pid)))

    def task_has_cap(self, pid: int, cap: int) -> bool:
        """Whether cap is in the task's effective set (in its own user
        namespace)."""
        return bool(self._get(_c.contid_task_has_cap, c_int, "task_has_cap",
                              _pid(pid), cap))

    def task_capable(self, pid: int, cap: int) -> bool:
        """Whether the task is capable(cap): has it in the initial user
        namespace."""
        return bool(self._get(_c.contid_task_capable, c_int,
                              "task_capable", _pid(pid), cap))

    def task_subreaper(self, pid: int) -> bool:
        """Whether the task's process is a child subreaper."""
        return bool(self._get(_c.contid_task_subreaper, c_int,
                              "task_subreaper", _pid(pid)))

    def task_contid(self, pid: int) -> int:
        """The task's own ID, UNSET when it has none."""
        return int(self._get(_c.contid_task_contid, c_uint64, "task_contid",
                             _pid(pid)))

    def task_capcontid(self, pid: int) -> int:
        """The task's capcontid (0 for a zombie)."""
        return int(self._get(_c.contid_task_capcontid, c_uint32,
                             "task_capcontid", _pid(pid)))

    def task_chain(self, pid: int) -> str:
        """The nesting chain as records print it ("200,^100"; "-1" when
        the task has no ID)."""
        with self._lock:
            size = 64
            while True:
                buf = ctypes.create_string_buffer(size)
                n = self._check(_c.contid_task_chain(self._w, _pid(pid), buf,
                                                     size), "task_chain")
                if n < size:
                    return buf.value.decode()
                size = n + 1

    def _list(self, fn: Any, function: str, *args: Any) -> List[int]:
        with self._lock:
            n = self._check(fn(self._w, *args, None, 0), function)
            while True:
                arr = (c_uint64 * (n + 1))()
                got = self._check(fn(self._w, *args, arr, n + 1), function)
                if got <= n + 1:
                    return list(arr[:got])
                n = got

    def task_netns_ids(self, pid: int) -> List[int]:
        """The IDs held in the task's network namespace, front first."""
        return self._list(_c.contid_task_netns_ids, "task_netns_ids",
                          _pid(pid))

    def task_is_descendant(self, a: int, b: int) -> bool:
        """Whether task a strictly descends from task b (R-DESC)."""
        return bool(self._get(_c.contid_task_is_descendant, c_int,
                              "task_is_descendant", _pid(a), _pid(b)))

    def task_next(self, after: int) -> Optional[int]:
        """The lowest pid above after of a task that is not gone, or None.
        :meth:`tasks` lists them all."""
        out = c_int()
        with self._lock:
            ret = _c.contid_task_next(self._w, _pid(after), ctypes.byref(out))
        if ret == -_errno.ENOENT:
            return None
        self._check(ret, "task_next")
        return out.value

    def tasks(self) -> List[int]:
        """The pids of the tasks that are not gone, in pid order."""
        with self._lock:
            pids = []
            pid = self.task_next(0)
            while pid is not None:
                pids.append(pid)
                pid = self.task_next(pid)
            return pids

    def task_count(self) -> int:
        """The number of tasks that are not gone (0 once closed)."""
        with self._lock:
            return int(_c.contid_task_count(self._w))

    def id_owner(self, value: int) -> Tuple[int, int]:
        """(identity, pid) of the owner of ID object value: its identity
        (:meth:`task_identity`) and its pid while the task exists, else 0.
        ENOENT when no object holds value."""
        identity, pid = c_uint64(), c_int()
        with self._lock:
            self._check(_c.contid_id_owner(self._w, _u(value, 64, "ID"),
                                           ctypes.byref(identity),
                                           ctypes.byref(pid)), "id_owner")
        return identity.value, pid.value

    def id_parent(self, value: int) -> int:
        """The nesting parent's value (UNSET: none)."""
        return int(self._get(_c.contid_id_parent, c_uint64, "id_parent",
                             _u(value, 64, "ID")))

    def id_users(self, value: int) -> int:
        """How many tasks hold object value."""
        return int(self._get(_c.contid_id_users, c_uint, "id_users",
                             _u(value, 64, "ID")))

    def id_refs(self, value: int) -> int:
        """The reference count of object value (tasks plus nested
        objects)."""
        return int(self._get(_c.contid_id_refs, c_uint, "id_refs",
                             _u(value, 64, "ID")))

    def pinned(self) -> Optional[int]:
        """The value of the ID object the signal state pins
        (R-SIG-RELEASE), None when nothing is pinned."""
        out = c_uint64()
        with self._lock:
            ret = _c.contid_pinned(self._w, ctypes.byref(out))
        if ret == -_errno.ENOENT:
            return None
        self._check(ret, "pinned")
        return out.value

    def auditd(self) -> Optional[int]:
        """The tgid of the audit daemon's process, None when there is
        none."""
        out = c_int()
        with self._lock:
            ret = _c.contid_auditd(self._w, ctypes.byref(out))
        if ret == -_errno.ENOENT:
            return None
        self._check(ret, "auditd")
        return out.value

    def id_list(self) -> List[int]:
        """The values of all live ID objects, in no particular order."""
        return self._list(_c.contid_id_list, "id_list")

    def id_count(self) -> int:
        """The number of live ID objects (0 once closed)."""
        with self._lock:
            return int(_c.contid_id_count(self._w))

    # ------------------------------------------------- debugging

    def check(self) -> None:
        """Checks every invariant of docs/semantics.md section 10; raises
        :class:`InvariantError` for the first broken one."""
        buf = ctypes.create_string_buffer(1024)
        with self._lock:
            ret = _c.contid_world_check(self._w, buf, len(buf))
        if ret == -_errno.EUCLEAN:
            raise _error_class(InvariantError, _errno.EUCLEAN)(
                buf.value.decode("utf-8", "replace"))
        self._check(ret, "check")

    def dump(self) -> str:
        """A canonical text description of the whole world."""
        text = c_void_p()
        with self._lock:
            self._check(_c.contid_world_dump(self._w, ctypes.byref(text)),
                        "dump")
        try:
            return ctypes.string_at(text.value or 0).decode("utf-8",
                                                           "replace")
        finally:
            _lib.free(text)

    def digest(self) -> Tuple[int, int]:
        """A 128-bit fingerprint of the canonical state, as two ints."""
        out = (c_uint64 * 2)()
        with self._lock:
            self._check(_c.contid_world_digest(self._w, out), "digest")
        return out[0], out[1]

    def digest_symmetric(self, forks: int = 0) -> Tuple[int, int]:
        """:meth:`digest` blind also to how the live pids are numbered
        (choice (q)): each pid counts as its rank among the live pids, and
        the last pid handed out is left out.  With forks above 0, a caller
        that makes at most that many more forks on either world (and no
        set_pid_max) may rely on equal digests answering alike, pids
        renumbered; ERANGE when that cannot be promised."""
        out = (c_uint64 * 2)()
        with self._lock:
            self._check(_c.contid_world_digest_symmetric(
                self._w, _u(forks, 32, "forks"), out), "digest_symmetric")
        return out[0], out[1]

    def digest_orbit(self, forks: int = 0,
                     values: Sequence[int] = ()) -> Tuple[int, int]:
        """:meth:`digest_symmetric` blind also to which of ``values``
        (distinct, none :data:`UNSET`, at most :data:`DIGEST_VALUES_MAX`)
        is which (choice (s)): each of them the world uses reads as the
        entry of ``values`` whose place is the order in which the
        digest's walk first meets it.  Worlds with equal orbit digests
        differ at most by a renumbering of their pids and a permutation
        of ``values``; EINVAL for a value listed twice or UNSET, ERANGE as
        :meth:`digest_symmetric`."""
        return self._digest_values(_c.contid_world_digest_orbit, forks,
                                   values, "digest_orbit")

    def digest_canonical(self, forks: int = 0,
                         values: Sequence[int] = ()) -> Tuple[int, int]:
        """:meth:`digest_orbit` blind also to the order of the live pids
        (choice (t)): worlds that differ by any renumbering of their live
        pids and a permutation of ``values`` get equal digests (at most
        32 live tasks and few look-alike tasks; other worlds get their
        orbit digest), and worlds with equal canonical digests differ at
        most by that.  Errors as :meth:`digest_orbit`."""
        return self._digest_values(_c.contid_world_digest_canonical, forks,
                                   values, "digest_canonical")

    def _digest_values(self, function: Callable[..., int], forks: int,
                       values: Sequence[int], name: str) -> Tuple[int, int]:
        vals = [_u(v, 64, "value") for v in values]
        arr = (c_uint64 * max(len(vals), 1))(*vals)
        out = (c_uint64 * 2)()
        with self._lock:
            self._check(function(self._w, _u(forks, 32, "forks"), arr,
                                 len(vals), out), name)
        return out[0], out[1]
