package remote

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"github.com/obconsole/obconsole/backend/safetext"
)

// errSecretInAnswer is a response that could not be read without its
// secrets: removing them broke its JSON.
var errSecretInAnswer = errors.New("the answer carries a credential of this session where it cannot be removed; it was not read")

// scrub returns body with every secret the process knows (the password,
// the Basic credential, the access key secret, recent Authorization values
// and signatures) and this request's own credentials (own, may be nil)
// replaced by [REDACTED]. It runs before anything is decoded, so no decoded
// field can carry a secret.
//
// JSON may spell any character of a string as an escape (\u0041, \/), which
// would hide a secret from a byte search; a body with any escape is first
// rewritten in the one spelling encoding/json writes (only ", \ and control
// characters escaped), which is the spelling the redactor knows.
func (e *Executor) scrub(body []byte, own *safetext.Redactor) ([]byte, error) {
	b := body
	if bytes.IndexByte(b, '\\') >= 0 {
		if canon, ok := canonicalJSON(b); ok {
			b = canon
		}
	}
	b = own.Bytes(e.redactor.Bytes(b))
	if !bytes.Equal(b, body) && json.Valid(body) && !json.Valid(b) {
		// A secret that was part of the JSON's structure (a number, a key
		// with its quotes): nothing can be decoded safely.
		return nil, errSecretInAnswer
	}
	return b, nil
}

// canonicalJSON re-encodes one JSON value with the fewest escapes; false
// when b is not exactly one JSON value.
func canonicalJSON(b []byte) ([]byte, bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber() // numbers pass through as written
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false
	}
	var out bytes.Buffer
	out.Grow(len(b))
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, false
	}
	return bytes.TrimSuffix(out.Bytes(), []byte("\n")), true
}

// headerText is a response header value fit for an error message: secrets
// redacted, one line.
func (e *Executor) headerText(v string) string { return e.redactor.SafeLine(v) }

// redactErr hides secrets in err's text and keeps err for errors.Is and
// errors.As: a transport error can quote what the server sent (a TLS
// certificate name, a status line).
func (e *Executor) redactErr(err error) error {
	if err == nil {
		return nil
	}
	msg := e.redactor.String(err.Error())
	if msg == err.Error() {
		return err
	}
	return &redactedError{msg: msg, err: err}
}

type redactedError struct {
	msg string
	err error
}

func (r *redactedError) Error() string { return r.msg }
func (r *redactedError) Unwrap() error { return r.err }
