package main

import (
	"context"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/embedded"
)

// openFromFlags opens the executor the flags ask for: a real OCP when
// --ocp-url (or OCP_URL) is set, else the embedded simulator. The second
// result releases it.
func openFromFlags(ctx context.Context, c *cli) (backend.Executor, func(), error) {
	if c.ocpURL != "" {
		return c.remoteExecutor(ctx)
	}
	ex, err := embedded.New(c.embeddedOptions())
	if err != nil {
		return nil, nil, &exitError{code: exitUsage, err: err}
	}
	return ex, ex.Close, nil
}

// embeddedOptions are the simulator's options from the flags. Each run
// numbers its tasks from its start time, not from the documented sample's
// 89027028 as every run once did: the audit journal is shared by every
// run on the machine, and its ids must tell the runs apart.
func (c *cli) embeddedOptions() embedded.Options {
	return embedded.Options{
		Speed:       c.speed,
		Scenario:    c.scenario,
		FleetFile:   c.fleet,
		Seed:        c.seed,
		FirstTaskID: embedded.RunTaskIDs(c.clock.Now()),
		Background:  c.loadInBackground,
	}
}
