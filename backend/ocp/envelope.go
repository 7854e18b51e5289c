// Package ocp mirrors the OCP API v2 wire format: the response envelope,
// the objects (Cluster, Zone, Server, Task, Subtask) with tolerant decoding
// of every known variation, and AK/SK request signing.
package ocp

import (
	"bytes"
	"encoding/json"
)

// Envelope wraps every OCP response.
type Envelope[T any] struct {
	Data       T         `json:"data"`
	Successful bool      `json:"successful"`
	Timestamp  Time      `json:"timestamp,omitzero"`
	Duration   int64     `json:"duration"`
	Status     int       `json:"status"`
	TraceID    string    `json:"traceId,omitempty"`
	Server     string    `json:"server,omitempty"`
	Error      *APIError `json:"error,omitempty"`
}

// APIError is the error member of a failed response.
type APIError struct {
	Code    Code   `json:"code"`
	Message string `json:"message"`
}

// Code is an OCP error code, seen both as a number and as a string.
type Code string

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
// (servers).
type List[T any] struct {
	Contents []T   `json:"contents"`
	Page     *Page `json:"page,omitempty"`
}

// Log is the data of the subtask log endpoint.
type Log struct {
	Log string `json:"log"`
}
