// Package contid is the Go binding of libcontid, the executable reference
// model of the Linux audit container identifier.
//
// A World is one simulated machine: tasks and processes, fork, exit and
// reaping, user and network namespaces, capabilities, container ID objects
// with their owners and nesting, and the audit records the kernel would
// log. Every method answers as libcontid's C function of the same name
// does, errno for errno; the rules are those of the repository's
// docs/semantics.md.
//
// Pids are plain ints, as in package os. Every method that can fail returns
// an error whose errno is a syscall.Errno, so that
//
//	errors.Is(err, syscall.EEXIST)
//
// tells one refusal from another. An operation (a fork, a write, a read, an
// exit: what a task does, as a syscall) that a rule refused returns a
// *RefusalError, which also names the rule and says why; settings and
// inspection return the bare syscall.Errno.
//
// Records reach a func or a channel given with WithRecordFunc or
// WithRecordChan (or later with SetRecordFunc and SetRecordChan). They are
// delivered synchronously, in the middle of the operation that logs them,
// on the goroutine that called it: a record func may read the world
// (inspection methods work) but not change it (every changing method
// returns syscall.EDEADLK there), exactly as in C.
//
// A World is not safe for concurrent use: use each one from one goroutine
// at a time, or lock around it. Different worlds may be used from
// different goroutines at once. Close releases the C world, which the
// garbage collector does not see: close every World you create (a closed
// World answers syscall.EINVAL, as the C functions do for a NULL world).
//
// The package is built with cgo against an installed libcontid, found with
// pkg-config ("#cgo pkg-config: libcontid"). Its module path,
// libcontid.org/contid, is a name only: nothing is fetched from it. A
// program outside the libcontid source tree requires it and points a
// replace directive at the bindings/go directory of a libcontid checkout.
package contid
