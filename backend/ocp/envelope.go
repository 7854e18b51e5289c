// Package ocp mirrors the OCP API v2 wire format: the response envelope,
// the objects (Cluster, Zone, Server, Task, Subtask) with tolerant decoding
// of every known variation, and AK/SK request signing.
package ocp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/obconsole/obconsole/backend/safetext"
)

// Envelope wraps every OCP response.
type Envelope[T any] struct {
	Data       T          `json:"data"`
	Successful bool       `json:"successful"`
	Timestamp  Time       `json:"timestamp,omitzero"`
	Duration   int64      `json:"duration"`
	Status     int        `json:"status"`
	TraceID    string     `json:"traceId,omitempty"`
	Server     string     `json:"server,omitempty"`
	Error      *APIError  `json:"error,omitempty"`
	wireMeta   `json:"-"` // Extra: the members this type does not model
}

// envelopeWire is Envelope without its methods.
type envelopeWire[T any] Envelope[T]

func (e *Envelope[T]) UnmarshalJSON(b []byte) error { return decodeInto(b, (*envelopeWire[T])(e)) }
func (e Envelope[T]) MarshalJSON() ([]byte, error)  { return encodeWire(envelopeWire[T](e), nil) }

// APIError is the error member of a failed response: OCP's ApiError. Code
// is a number, 0 when the error did not come from one of OCP's error codes
// (authentication, validation, throttling): then the HTTP status is the
// only signal. DebugMessage is the cause's message; SubErrors are the
// rejected fields or the database's errors; Target names the object the
// error is about (an object such as {"tenantName": "t1"}); StackTrace is
// sent only when the request asked for it (X-ReturnStackTrace: true).
type APIError struct {
	Code         Code            `json:"code"`
	Message      string          `json:"message"`
	DebugMessage string          `json:"debugMessage,omitempty"`
	SubErrors    []SubError      `json:"subErrors,omitempty"`
	Target       json.RawMessage `json:"target,omitempty"`
	StackTrace   []string        `json:"stackTrace,omitempty"`
	wireMeta     `json:"-"`      // Extra: the members this type does not model
}

// SubError is one item of an error's subErrors: a rejected field (object,
// field, rejectedValue, message) or an error of the database (SQLState,
// code, message).
type SubError struct {
	Object        string          `json:"object,omitempty"`
	Field         string          `json:"field,omitempty"`
	RejectedValue json.RawMessage `json:"rejectedValue,omitempty"`
	SQLState      string          `json:"SQLState,omitempty"`
	Code          Code            `json:"code,omitempty"`
	Message       string          `json:"message,omitempty"`
	wireMeta      `json:"-"`      // Extra: the members this type does not model
}

// MaxDetail bounds Details: an error may carry many rejected fields, and
// the detail is one line in a toast or on stderr.
const MaxDetail = 512

// Details is everything of the error but its code and message, on one
// line, each piece made safe for a terminal: "debug: …; field x rejected
// "y": msg; SQLState 42000 code 1064: msg; target tenantName=t1; stack
// trace: N frames". "" when the error carries nothing more. Stack frames
// are counted, not shown.
func (e *APIError) Details() string {
	if e == nil {
		return ""
	}
	var parts []string
	if d := oneLine(e.DebugMessage); d != "" && d != oneLine(e.Message) {
		parts = append(parts, "debug: "+safetext.Line(d))
	}
	for _, s := range e.SubErrors {
		if p := s.describe(); p != "" {
			parts = append(parts, p)
		}
	}
	if t := rawText(e.Target); t != "" {
		parts = append(parts, "target "+t)
	}
	if n := len(e.StackTrace); n > 0 {
		parts = append(parts, fmt.Sprintf("stack trace: %d frames", n))
	}
	out := strings.Join(parts, "; ")
	if r := []rune(out); len(r) > MaxDetail {
		out = string(r[:MaxDetail-1]) + "…"
	}
	return out
}

// Summary is the message followed by the details in parentheses, on one
// line and safe for a terminal; the code is left to the caller.
func (e *APIError) Summary() string {
	if e == nil {
		return ""
	}
	msg := safetext.Line(oneLine(e.Message))
	d := e.Details()
	switch {
	case d == "":
		return msg
	case msg == "":
		return "(" + d + ")"
	}
	return msg + " (" + d + ")"
}

func (s SubError) describe() string {
	var b strings.Builder
	switch {
	case s.Field != "" || s.Object != "":
		name := s.Field
		if s.Object != "" && s.Field != "" {
			name = s.Object + "." + s.Field
		} else if name == "" {
			name = s.Object
		}
		b.WriteString("field " + safetext.Line(name))
		if v := rawText(s.RejectedValue); v != "" {
			b.WriteString(" rejected " + v)
		}
	case s.SQLState != "" || s.Code != "":
		if s.SQLState != "" {
			b.WriteString("SQLState " + safetext.Line(s.SQLState))
		}
		if s.Code != "" {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString("code " + safetext.Line(string(s.Code)))
		}
	}
	if m := oneLine(s.Message); m != "" {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(safetext.Line(m))
	}
	return b.String()
}

// oneLine folds the lines and runs of blanks of s into single spaces: a
// multi-line debug message reads as one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// rawText shows a JSON value briefly: an object as k=v pairs (sorted),
// anything else as written; made safe for a terminal.
func rawText(v json.RawMessage) string {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || isNull(v) {
		return ""
	}
	var obj map[string]json.RawMessage
	if v[0] == '{' && json.Unmarshal(v, &obj) == nil {
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		pairs := make([]string, 0, len(keys))
		for _, k := range keys {
			pairs = append(pairs, k+"="+scalarText(obj[k]))
		}
		return safetext.Line(strings.Join(pairs, " "))
	}
	return safetext.Line(string(v))
}

// Code is an OCP error code. OCP sends numbers (0 when unset); strings are
// still accepted, and kept as they came.
type Code string

// OCP's error codes that a client of the task and cluster API meets (OCP
// Express ErrorCodes). Codes not listed here are shown as their number.
const (
	CodeUnset                Code = "0"     // not from an error code: the HTTP status says what happened
	CodeIllegalArgument      Code = "10001" // 400
	CodeNotFound             Code = "10002" // 404
	CodeUnexpected           Code = "10010" // 500
	CodeObOperationFailed    Code = "10011" // 500
	CodeTaskNotExists        Code = "20000" // 404
	CodeTaskStateInvalid     Code = "20003" // 400: the operation does not fit the task's or step's state
	CodeTaskProhibitRollback Code = "20004" // 400
	CodeNotAuthenticated     Code = "30000" // 401
	CodeNotPermitted         Code = "30014" // 403
)

// Number is the code as a number; ok is false for a code that is not one.
func (c Code) Number() (n int64, ok bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(string(c)), 10, 64)
	return n, err == nil
}

// Set reports whether the code says something: not absent and not 0.
func (c Code) Set() bool {
	if n, ok := c.Number(); ok {
		return n != 0
	}
	return strings.TrimSpace(string(c)) != ""
}

func (c *Code) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		return nil
	}
	*c = Code(scalarText(b))
	return nil
}

// MarshalJSON writes numeric codes as numbers, others as strings.
func (c Code) MarshalJSON() ([]byte, error) {
	if c == "" {
		return []byte(`""`), nil
	}
	var n json.Number
	if json.Unmarshal([]byte(c), &n) == nil && !bytes.ContainsAny([]byte(c), "\" ") {
		return []byte(c), nil
	}
	return json.Marshal(string(c))
}

// Page describes one page of a paged list. Number counts from 1.
type Page struct {
	Number        int   `json:"number"`
	Size          int   `json:"size"`
	TotalElements int64 `json:"totalElements"`
	TotalPages    int   `json:"totalPages"`
}

// List is the data of a list endpoint. Page is nil where OCP does not page
// (zones, servers).
type List[T any] struct {
	Contents []T   `json:"contents"`
	Page     *Page `json:"page,omitempty"`
}

// Log is the data of the subtask log endpoint.
type Log struct {
	Log string `json:"log"`
}
