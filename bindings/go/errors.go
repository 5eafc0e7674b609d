package contid

// #include <stdlib.h>
// #include <contid.h>
import "C"

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"unsafe"
)

// RefusalError is the error of an operation that a rule refused: the errno
// libcontid returned, and the rule that refused the operation with a line
// that says why, as contid_world_last_refusal() gives them ("R-SET-3",
// "the target has children"). The rule IDs are those of docs/semantics.md
// and, where it gives none, libcontid's own ("ACTING-TASK", "V8-DEPTH",
// ...).
//
// errors.Is(err, syscall.EXDEV) is true of a RefusalError whose Errno is
// EXDEV, and errors.Is(err, &RefusalError{Rule: "R-SET-4"}) of one whose
// rule is R-SET-4 (a zero Errno, Rule or Op in the target matches any).
type RefusalError struct {
	Op     string        // the method that failed, e.g. "Set"
	Errno  syscall.Errno // what the C function returned
	Rule   string        // e.g. "R-SET-4"
	Reason string        // e.g. "the target does not strictly descend from the writer"
}

// Error returns e.g. "contid: Set: EXDEV (R-SET-4: the target does not
// strictly descend from the writer)".
func (e *RefusalError) Error() string {
	return fmt.Sprintf("contid: %s: %s (%s: %s)", e.Op, errnoText(e.Errno),
		e.Rule, e.Reason)
}

// Unwrap returns the syscall.Errno.
func (e *RefusalError) Unwrap() error { return e.Errno }

// Is reports whether target is e's Errno, or a *RefusalError whose
// non-zero fields all equal e's.
func (e *RefusalError) Is(target error) bool {
	switch t := target.(type) {
	case syscall.Errno:
		return t == e.Errno
	case *RefusalError:
		return t != nil && (t.Errno == 0 || t.Errno == e.Errno) &&
			(t.Rule == "" || t.Rule == e.Rule) &&
			(t.Op == "" || t.Op == e.Op)
	}
	return false
}

// InvariantError is what Check returns when an invariant of
// docs/semantics.md section 10 does not hold. It unwraps to
// syscall.EUCLEAN.
type InvariantError struct {
	Invariant string // the broken invariant's name, e.g. "INV-REFCOUNT"
	Message   string // the whole description, beginning with the name
}

// Error returns "contid: invariant broken: " and the description.
func (e *InvariantError) Error() string {
	return "contid: invariant broken: " + e.Message
}

// Unwrap returns syscall.EUCLEAN.
func (e *InvariantError) Unwrap() error { return syscall.EUCLEAN }

func newInvariantError(msg string) *InvariantError {
	name := msg
	if i := strings.IndexByte(msg, ':'); i >= 0 {
		name = msg[:i]
	}
	return &InvariantError{Invariant: name, Message: msg}
}

// ErrnoName returns the name of the errno that err is or wraps ("EEXIST"
// for syscall.EEXIST or a RefusalError of it), as libcontid names it, or
// "" when err is nil, carries no syscall.Errno, or libcontid does not know
// the number.
func ErrnoName(err error) string {
	var e syscall.Errno
	if !errors.As(err, &e) {
		return ""
	}
	if name := C.contid_errno_name(C.int(e)); name != nil {
		return C.GoString(name)
	}
	return ""
}

// ErrnoFromName returns the errno of a name such as "EPERM", in any case,
// or 0 when libcontid does not know the name.
func ErrnoFromName(name string) syscall.Errno {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	return syscall.Errno(C.contid_errno_from_name(cs))
}

// errnoText is the errno's name, or its number when it has none.
func errnoText(e syscall.Errno) string {
	if name := ErrnoName(e); name != "" {
		return name
	}
	return fmt.Sprintf("errno %d", int(e))
}
