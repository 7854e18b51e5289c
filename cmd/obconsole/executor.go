package main

import (
	"context"
	"errors"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/embedded"
)

// openRemoteExecutor builds the remote executor from the flags and the
// environment; remote_config.go sets it.
var openRemoteExecutor func(ctx context.Context, o *globalOptions) (backend.Executor, func(), error)

// openExecutor opens the executor the flags ask for: a real OCP when
// --ocp-url (or OCP_URL) is set, else the embedded simulator. The second
// result releases it.
func (o *globalOptions) openExecutor(ctx context.Context) (backend.Executor, func(), error) {
	if o.ocpURL != "" {
		if openRemoteExecutor == nil {
			return nil, nil, errors.New("--ocp-url: this build has no remote executor")
		}
		return openRemoteExecutor(ctx, o)
	}
	ex, err := embedded.New(o.embeddedOptions())
	if err != nil {
		return nil, nil, &exitError{code: 2, err: err}
	}
	return ex, ex.Close, nil
}

// embeddedOptions are the simulator's options from the flags. Each run
// numbers its tasks from its start time, not from the documented sample's
// 89027028 as every run once did: the audit journal is shared by every
// run on the machine, and its ids must tell the runs apart.
func (o *globalOptions) embeddedOptions() embedded.Options {
	return embedded.Options{
		Speed:       o.speed,
		Scenario:    o.scenario,
		FleetFile:   o.fleet,
		Seed:        o.seed,
		FirstTaskID: embedded.RunTaskIDs(time.Now()),
	}
}
