package contid

// NewInvariantErrorForTest lets the tests see how Check reads a broken
// invariant's description; no world can be made to break one through the
// public API.
var NewInvariantErrorForTest = func(msg string) error { return newInvariantError(msg) }
