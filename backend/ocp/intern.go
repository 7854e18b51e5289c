package ocp

import "sync/atomic"

// internTable remembers recent short strings by their hash, so that the
// "RUNNING", "zone1" and version texts of a list of 100,000 servers share
// one copy each instead of costing one allocation each. A slot holds the
// last string that hashed to it; a miss only costs the copy it would
// have cost anyway.
var internTable [4096]atomic.Pointer[string]

// maxInterned is the longest string interned (OCP's version texts run to
// about 100 bytes).
const maxInterned = 128

// intern returns b as a string, shared with earlier equal ones when it can.
func intern(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > maxInterned {
		return string(b)
	}
	h := uint32(2166136261) // FNV-1a
	for _, c := range b {
		h = (h ^ uint32(c)) * 16777619
	}
	slot := &internTable[h%uint32(len(internTable))]
	if p := slot.Load(); p != nil && *p == string(b) {
		return *p
	}
	s := string(b)
	slot.Store(&s)
	return s
}
