package executortest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/obconsole/obconsole/backend/executortest"
	"github.com/obconsole/obconsole/backend/ocpserver"
	"github.com/obconsole/obconsole/backend/remote"
)

func TestEmbedded(t *testing.T) {
	executortest.Run(t, func(t *testing.T, setup executortest.Setup) executortest.Env {
		ex, clock := executortest.NewEmbedded(t, setup)
		return executortest.Env{Executor: ex, Reference: ex, Clock: clock}
	})
}

// overHTTP serves an embedded fleet with ocpserver on httptest and points
// a remote executor built by cfg at it.
func overHTTP(t *testing.T, setup executortest.Setup, cfg remote.Config) executortest.Env {
	ex, clock := executortest.NewEmbedded(t, setup)
	srv := httptest.NewServer(ocpShaped(t, ocpserver.New(ocpserver.Config{
		Executor:   ex,
		Users:      map[string]string{"admin": "contract-pw"},
		AccessKeys: map[string]string{"AK-contract": "contract-sk"},
	})))
	t.Cleanup(srv.Close)
	cfg.BaseURL = srv.URL
	client, err := remote.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })
	return executortest.Env{Executor: client, Reference: ex, Clock: clock}
}

func TestRemoteOverHTTPWithBasic(t *testing.T) {
	executortest.Run(t, func(t *testing.T, setup executortest.Setup) executortest.Env {
		return overHTTP(t, setup, remote.Config{Auth: remote.AuthBasic, User: "admin", Password: "contract-pw"})
	})
}

func TestRemoteOverHTTPWithAKSK(t *testing.T) {
	executortest.Run(t, func(t *testing.T, setup executortest.Setup) executortest.Env {
		return overHTTP(t, setup, remote.Config{Auth: remote.AuthAKSK, AccessKeyID: "AK-contract", AccessKeySecret: "contract-sk"})
	})
}

// ocpShaped checks every error serve answers during the suite before the
// client sees it: OCP's envelope with the HTTP status repeated, an error
// code that is a JSON number, and the code OCP gives that status (0 where
// Spring answers without one).
func ocpShaped(t *testing.T, h http.Handler) http.Handler {
	codes := map[int][]int64{
		400: {0, 10001, 20003, 20004},
		401: {0},
		404: {10002, 20000},
		429: {0},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code >= 400 {
			var env struct {
				Successful *bool `json:"successful"`
				Status     int   `json:"status"`
				Error      *struct {
					Code    json.RawMessage `json:"code"`
					Message string          `json:"message"`
				} `json:"error"`
			}
			err := json.Unmarshal(rec.Body.Bytes(), &env)
			var code int64 // a quoted code does not decode
			if err == nil && env.Error != nil {
				err = json.Unmarshal(env.Error.Code, &code)
			}
			if err != nil || env.Successful == nil || *env.Successful || env.Status != rec.Code || env.Error == nil ||
				env.Error.Message == "" || !slices.Contains(codes[rec.Code], code) {
				t.Errorf("%s %s: HTTP %d answered %s (%v), not as OCP", r.Method, r.URL, rec.Code, rec.Body, err)
			}
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = io.Copy(w, bytes.NewReader(rec.Body.Bytes()))
	})
}
