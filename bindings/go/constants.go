package contid

// #include <contid.h>
import "C"

import "fmt"

// Every constant below takes its value from lib/contid.h through cgo, so
// that none is copied by hand (coverage_test.go checks that each CONTID_*
// macro of the header has one).

// The version of the header this package was built with; Version gives the
// version of the library it runs with.
const (
	VersionMajor = C.CONTID_VERSION_MAJOR
	VersionMinor = C.CONTID_VERSION_MINOR
	VersionMicro = C.CONTID_VERSION_MICRO
)

// Unset is the value that means "no audit container ID" (2^64-1).
const Unset uint64 = C.CONTID_UNSET

// PidMaxLimit is the highest pid_max a world accepts.
const PidMaxLimit = C.CONTID_PID_MAX_LIMIT

// DigestValuesMax is the most values DigestOrbit treats alike.
const DigestValuesMax = C.CONTID_DIGEST_VALUES_MAX

// CloneFlags are the flags of Fork, to be or-ed together.
type CloneFlags uint

const (
	CloneThread  CloneFlags = C.CONTID_CLONE_THREAD  // join the caller's thread group
	CloneParent  CloneFlags = C.CONTID_CLONE_PARENT  // a sibling of the caller
	CloneNewUser CloneFlags = C.CONTID_CLONE_NEWUSER // a new user namespace for the child
	CloneNewNet  CloneFlags = C.CONTID_CLONE_NEWNET  // a new network namespace for the child
)

// Namespace is a namespace kind, for Unshare and Setns.
type Namespace int

const (
	NSUser Namespace = C.CONTID_NS_USER
	NSNet  Namespace = C.CONTID_NS_NET
)

// Cap is a capability, numbered as in Linux's <linux/capability.h>.
type Cap int

const (
	CapKill         Cap = C.CONTID_CAP_KILL
	CapSetuid       Cap = C.CONTID_CAP_SETUID
	CapSysAdmin     Cap = C.CONTID_CAP_SYS_ADMIN
	CapAuditControl Cap = C.CONTID_CAP_AUDIT_CONTROL
	CapLastCap      Cap = C.CONTID_CAP_LAST_CAP
)

// RecordType is an audit record type, numbered as in Linux's
// <linux/audit.h>.
type RecordType int

const (
	RecordContainerOp  RecordType = C.CONTID_RECORD_CONTAINER_OP
	RecordSetCapContid RecordType = C.CONTID_RECORD_SET_CAPCONTID
	RecordSyscall      RecordType = C.CONTID_RECORD_SYSCALL
	RecordObjPid       RecordType = C.CONTID_RECORD_OBJ_PID
	RecordNetfilterPkt RecordType = C.CONTID_RECORD_NETFILTER_PKT
	RecordContainerID  RecordType = C.CONTID_RECORD_CONTAINER_ID
)

// String returns the record type's name as records print it
// ("CONTAINER_OP"), or "RecordType(N)" for a number libcontid does not know.
func (t RecordType) String() string {
	if name := C.contid_record_type_name(C.int(t)); name != nil {
		return C.GoString(name)
	}
	return fmt.Sprintf("RecordType(%d)", int(t))
}

// Signal is a signal that Signal sends, numbered as in Linux on x86-64.
type Signal int

const (
	SigHup  Signal = C.CONTID_SIG_HUP
	SigInt  Signal = C.CONTID_SIG_INT
	SigKill Signal = C.CONTID_SIG_KILL
	SigUsr1 Signal = C.CONTID_SIG_USR1
	SigUsr2 Signal = C.CONTID_SIG_USR2
	SigTerm Signal = C.CONTID_SIG_TERM
)

// String returns "SIGTERM" and so on, or "Signal(N)".
func (s Signal) String() string {
	switch s {
	case SigHup:
		return "SIGHUP"
	case SigInt:
		return "SIGINT"
	case SigKill:
		return "SIGKILL"
	case SigUsr1:
		return "SIGUSR1"
	case SigUsr2:
		return "SIGUSR2"
	case SigTerm:
		return "SIGTERM"
	}
	return fmt.Sprintf("Signal(%d)", int(s))
}

// TaskState is what TaskState reports of a task.
type TaskState int

const (
	TaskRunning TaskState = C.CONTID_TASK_RUNNING
	TaskZombie  TaskState = C.CONTID_TASK_ZOMBIE
)

// String returns "running" or "zombie".
func (s TaskState) String() string {
	switch s {
	case TaskRunning:
		return "running"
	case TaskZombie:
		return "zombie"
	}
	return fmt.Sprintf("TaskState(%d)", int(s))
}

// Limit names what SetLimit and WithLimit cap.
type Limit int

const (
	LimitTasks Limit = C.CONTID_LIMIT_TASKS // tasks that are not gone
	LimitIDs   Limit = C.CONTID_LIMIT_IDS   // live ID objects
)
