package safetext

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// Redacted replaces a secret wherever one is found.
const Redacted = "[REDACTED]"

// maxTransient bounds the per-request values (AK/SK signatures, Authorization
// header values) a Redactor remembers; the oldest go first. A server that
// echoes a request's header does so in that request's answer, which is
// redacted while the value is still remembered.
const maxTransient = 64

// Redactor removes every secret it was told about from text that leaves
// the process: the screen, stderr, the audit journal and the debug log share
// one. The zero value and a nil *Redactor are ready to use (a nil one
// redacts nothing). Safe for concurrent use.
type Redactor struct {
	mu        sync.RWMutex
	fixed     []string // secrets for the process's life, with their spellings
	transient []string // recent per-request values, oldest first
	all       []string // fixed and transient, longest first
}

// NewRedactor returns an empty Redactor.
func NewRedactor() *Redactor { return &Redactor{} }

// MinSecretLen is the shortest secret searched for. A shorter one (a
// password "p") would match ordinary text everywhere: OCP's answers would
// lose their members ("port" becoming "[REDACTED]ort") and every screen its
// words, while such a secret protects nothing anyway.
const MinSecretLen = 4

// Add registers secrets for the life of the process (a password, an access
// key secret, a Basic credential). Each is also registered in the other
// spellings it could come back in: JSON-escaped, URL-escaped, base64.
// Secrets shorter than MinSecretLen are ignored (their longer spellings,
// such as a Basic credential holding them, are still registered by
// whoever adds those).
func (r *Redactor) Add(secrets ...string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		if len(s) < MinSecretLen {
			continue
		}
		for _, form := range spellings(s) {
			if !slices.Contains(r.fixed, form) {
				r.fixed = append(r.fixed, form)
			}
		}
	}
	r.rebuild()
}

// AddTransient registers a value that is secret for a short while, such as
// one request's AK/SK signature; only the most recent ones are kept.
func (r *Redactor) AddTransient(value string) {
	if r == nil || value == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if slices.Contains(r.transient, value) {
		return
	}
	if len(r.transient) == maxTransient {
		r.transient = slices.Delete(r.transient, 0, 1)
	}
	r.transient = append(r.transient, value)
	r.rebuild()
}

// rebuild orders every secret longest first, so a secret that contains a
// shorter one is replaced whole and leaves no recognisable remnant.
func (r *Redactor) rebuild() {
	r.all = append(append(r.all[:0], r.fixed...), r.transient...)
	slices.SortStableFunc(r.all, func(a, b string) int { return len(b) - len(a) })
}

// spellings is s and the ways it can be written back to us.
func spellings(s string) []string {
	if s == "" {
		return nil
	}
	forms := []string{s}
	add := func(f string) {
		if f != "" && !slices.Contains(forms, f) {
			forms = append(forms, f)
		}
	}
	if j, err := json.Marshal(s); err == nil {
		add(string(j[1 : len(j)-1]))
	}
	add(url.QueryEscape(s))
	add(url.PathEscape(s))
	add(base64.StdEncoding.EncodeToString([]byte(s)))
	return forms
}

// String returns s with every known secret replaced by [REDACTED].
func (r *Redactor) String(s string) string {
	if r == nil {
		return s
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, secret := range r.all {
		if strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, Redacted)
		}
	}
	return s
}

// Bytes is String for a byte slice; b is returned as is when it holds no
// secret.
func (r *Redactor) Bytes(b []byte) []byte {
	if r == nil {
		return b
	}
	r.mu.RLock()
	found := false
	for _, secret := range r.all {
		if bytes.Contains(b, []byte(secret)) {
			found = true
			break
		}
	}
	r.mu.RUnlock()
	if !found {
		return b
	}
	return []byte(r.String(string(b)))
}

// Empty reports whether no secret is registered.
func (r *Redactor) Empty() bool {
	if r == nil {
		return true
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.all) == 0
}

// Safe is what every line that leaves the process for a terminal or a file
// goes through: secrets redacted, then made safe as multi-line Text.
func (r *Redactor) Safe(s string) string { return Text(r.String(s)) }

// SafeLine is Safe for a one-line field.
func (r *Redactor) SafeLine(s string) string { return Line(r.String(s)) }

// Writer wraps w so that everything written through it is redacted and
// made safe (Text) first: for stderr and other plain-text streams that may
// carry an outside error. Callers write whole lines per Write (fmt.Fprintln
// does), so a secret is never split across two writes.
func (r *Redactor) Writer(w io.Writer) io.Writer { return &safeWriter{r: r, w: w} }

type safeWriter struct {
	r *Redactor
	w io.Writer
}

func (s *safeWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(s.w, s.r.Safe(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
