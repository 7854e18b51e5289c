package executortest_test

import (
	"net/http/httptest"
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
	srv := httptest.NewServer(ocpserver.New(ocpserver.Config{
		Executor:   ex,
		Users:      map[string]string{"admin": "contract-pw"},
		AccessKeys: map[string]string{"AK-contract": "contract-sk"},
	}))
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
