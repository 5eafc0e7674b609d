"""Loading libcontid and declaring its functions to ctypes.

The shared library is looked for, in this order:

1. the file named by the environment variable ``CONTID_LIBRARY`` (a build
   tree's ``lib/libcontid.so``, say); when it is set, nothing else is tried;
2. ``libcontid.so.0``, the SONAME, as the dynamic linker finds it
   (``LD_LIBRARY_PATH``, the ``ldconfig`` cache, the system directories);
3. whatever ``ctypes.util.find_library("contid")`` names.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from ctypes import (CFUNCTYPE, POINTER, c_char, c_char_p, c_int, c_size_t,
                    c_uint, c_uint32, c_uint64, c_ulong, c_void_p)
from typing import Dict, List, Tuple

SONAME = "libcontid.so.0"

pid_t = c_int
world_p = c_void_p

#: The record callback's C type: (userdata, type, line, len).
RECORD_FN = CFUNCTYPE(None, c_void_p, c_int, POINTER(c_char), c_size_t)

#: Every C function the binding calls, with its result and argument types,
#: as lib/contid.h declares them.  The tests check that this table names
#: exactly the functions lib/libcontid.sym exports.
FUNCTIONS: Dict[str, Tuple[object, List[object]]] = {
    # world life
    "contid_version": (c_char_p, []),
    "contid_world_new": (c_int, [POINTER(world_p)]),
    "contid_world_free": (None, [world_p]),
    "contid_world_clone": (c_int, [world_p, POINTER(world_p)]),
    "contid_world_copy": (c_int, [world_p, world_p]),
    # settings
    "contid_profile_names": (POINTER(c_char_p), []),
    "contid_world_set_profile": (c_int, [world_p, c_char_p]),
    "contid_world_profile": (c_char_p, [world_p]),
    "contid_world_set_depth_limit": (c_int, [world_p, c_uint]),
    "contid_world_set_pid_max": (c_int, [world_p, c_uint]),
    "contid_world_set_limit": (c_int, [world_p, c_int, c_ulong]),
    "contid_world_set_audit": (c_int, [world_p, c_int]),
    "contid_task_set_name": (c_int, [world_p, pid_t, c_char_p]),
    # operations
    "contid_fork": (c_int, [world_p, pid_t, c_uint, POINTER(pid_t)]),
    "contid_exit": (c_int, [world_p, pid_t]),
    "contid_reap": (c_int, [world_p, pid_t]),
    "contid_set_subreaper": (c_int, [world_p, pid_t]),
    "contid_unshare": (c_int, [world_p, pid_t, c_int]),
    "contid_setns": (c_int, [world_p, pid_t, c_int, pid_t]),
    "contid_setuid": (c_int, [world_p, pid_t, c_uint32]),
    "contid_drop_cap": (c_int, [world_p, pid_t, c_int]),
    "contid_write": (c_int, [world_p, pid_t, pid_t, c_char_p, c_size_t]),
    "contid_set": (c_int, [world_p, pid_t, pid_t, c_uint64]),
    "contid_get": (c_int, [world_p, pid_t, pid_t, POINTER(c_uint64)]),
    "contid_write_capcontid": (c_int, [world_p, pid_t, pid_t, c_char_p,
                                       c_size_t]),
    "contid_set_capcontid": (c_int, [world_p, pid_t, pid_t, c_uint32]),
    "contid_get_capcontid": (c_int, [world_p, pid_t, pid_t,
                                     POINTER(c_uint32)]),
    "contid_event": (c_int, [world_p, pid_t]),
    "contid_packet": (c_int, [world_p, pid_t]),
    "contid_set_auditd": (c_int, [world_p, pid_t]),
    "contid_signal": (c_int, [world_p, pid_t, pid_t, c_int]),
    "contid_signal_info": (c_int, [world_p, pid_t, POINTER(c_uint32),
                                   POINTER(pid_t), POINTER(c_void_p)]),
    "contid_world_last_refusal": (c_int, [world_p, POINTER(c_char_p),
                                          POINTER(c_char_p)]),
    # inspection
    "contid_task_state": (c_int, [world_p, pid_t, POINTER(c_int)]),
    "contid_task_identity": (c_int, [world_p, pid_t, POINTER(c_uint64)]),
    "contid_task_tgid": (c_int, [world_p, pid_t, POINTER(pid_t)]),
    "contid_task_ppid": (c_int, [world_p, pid_t, POINTER(pid_t)]),
    "contid_task_uid": (c_int, [world_p, pid_t, POINTER(c_uint32)]),
    "contid_task_userns_level": (c_int, [world_p, pid_t, POINTER(c_uint)]),
    "contid_task_has_cap": (c_int, [world_p, pid_t, c_int, POINTER(c_int)]),
    "contid_task_capable": (c_int, [world_p, pid_t, c_int, POINTER(c_int)]),
    "contid_task_subreaper": (c_int, [world_p, pid_t, POINTER(c_int)]),
    "contid_task_contid": (c_int, [world_p, pid_t, POINTER(c_uint64)]),
    "contid_task_capcontid": (c_int, [world_p, pid_t, POINTER(c_uint32)]),
    "contid_task_chain": (c_int, [world_p, pid_t, c_char_p, c_size_t]),
    "contid_task_netns_ids": (c_int, [world_p, pid_t, POINTER(c_uint64),
                                      c_size_t]),
    "contid_task_is_descendant": (c_int, [world_p, pid_t, pid_t,
                                          POINTER(c_int)]),
    "contid_task_next": (c_int, [world_p, pid_t, POINTER(pid_t)]),
    "contid_task_count": (c_size_t, [world_p]),
    "contid_id_owner": (c_int, [world_p, c_uint64, POINTER(c_uint64),
                                POINTER(pid_t)]),
    "contid_id_parent": (c_int, [world_p, c_uint64, POINTER(c_uint64)]),
    "contid_id_users": (c_int, [world_p, c_uint64, POINTER(c_uint)]),
    "contid_id_refs": (c_int, [world_p, c_uint64, POINTER(c_uint)]),
    "contid_pinned": (c_int, [world_p, POINTER(c_uint64)]),
    "contid_auditd": (c_int, [world_p, POINTER(pid_t)]),
    "contid_id_list": (c_int, [world_p, POINTER(c_uint64), c_size_t]),
    "contid_id_count": (c_size_t, [world_p]),
    # records
    "contid_world_set_record_callback": (c_int, [world_p, RECORD_FN,
                                                 c_void_p]),
    "contid_record_type_name": (c_char_p, [c_int]),
    # debugging
    "contid_world_check": (c_int, [world_p, c_char_p, c_size_t]),
    "contid_world_dump": (c_int, [world_p, POINTER(c_void_p)]),
    "contid_world_digest": (c_int, [world_p, POINTER(c_uint64)]),
    "contid_world_digest_symmetric": (c_int, [world_p, c_uint,
                                              POINTER(c_uint64)]),
    "contid_world_digest_orbit": (c_int, [world_p, c_uint,
                                          POINTER(c_uint64), c_size_t,
                                          POINTER(c_uint64)]),
    "contid_world_digest_canonical": (c_int, [world_p, c_uint,
                                              POINTER(c_uint64), c_size_t,
                                              POINTER(c_uint64)]),
    "contid_errno_name": (c_char_p, [c_int]),
    "contid_errno_from_name": (c_int, [c_char_p]),
}


def _open() -> ctypes.CDLL:
    explicit = os.environ.get("CONTID_LIBRARY")
    if explicit:
        try:
            return ctypes.CDLL(explicit)
        except OSError as e:
            raise ImportError(
                f"contid: cannot load CONTID_LIBRARY={explicit}: {e}") from e
    errors = []
    for name in (SONAME, ctypes.util.find_library("contid")):
        if not name:
            continue
        try:
            return ctypes.CDLL(name)
        except OSError as e:
            errors.append(str(e))
    raise ImportError(
        "contid: libcontid is not installed where the dynamic linker looks "
        "(set CONTID_LIBRARY to the path of libcontid.so, or "
        "LD_LIBRARY_PATH to its directory): " + "; ".join(errors))


def _declare(lib: ctypes.CDLL) -> ctypes.CDLL:
    for name, (restype, argtypes) in FUNCTIONS.items():
        try:
            fn = getattr(lib, name)
        except AttributeError:
            raise ImportError(
                f"contid: {lib._name} has no {name}: the binding needs a "
                "newer libcontid") from None
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


lib = _declare(_open())

# free() for the text contid_world_dump() allocates: the C library's, as
# the program sees it (the same one libcontid allocates with).
_libc = ctypes.CDLL(None)
free = _libc.free
free.restype = None
free.argtypes = [c_void_p]
