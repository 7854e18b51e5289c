package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/audit"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
)

type restartOptions struct {
	cluster, server string
	force, yes      bool
	freezeServer    bool
	wait            bool
	output          string
}

func (c *cli) restartCommand() *cobra.Command {
	var ro restartOptions
	cmd := &cobra.Command{
		Use:   "restart --cluster C --server S",
		Short: "Restart one OBServer (confirmed), and optionally wait for the task",
		Long: `Restart one OBServer: --cluster is a name or an id, --server an IP, IP:PORT
or id. On a terminal it asks y/N first; a force restart asks for the server's IP
to be typed. Without a terminal on stdin it refuses unless --yes is given.

A normal restart runs a pre-check and does not restart a server when that would
interrupt service. --force ends the observer process directly: it is for a
server that is not serving, or when a majority of servers do not respond, and
can leave replicas leaderless for minutes.

A minor compaction runs before the observer process stops (OCP's
freezeServer, on by default as in OCP's own console): the stop takes longer,
the server recovers much faster. --freeze-server=false skips it.

Every restart is written to the audit journal (see obconsole audit) before the
request is sent, and its outcome after. With --wait it prints one line per step
change and a summary, and exits 0 only when the task ended SUCCESSFUL.

Exit codes: 0 accepted (or, with --wait, SUCCESSFUL); 1 the task failed or was
rolled back; 2 bad flags, unknown or ambiguous cluster or server; 3 refused,
nothing sent (not confirmed, no --yes without a terminal, --readonly, the audit
journal cannot be written, a conflicting task, not authorized); 4 backend
unreachable or the outcome unknown; 130 interrupted while waiting (through
--ocp-url the task goes on; the embedded fleet's tasks end with the process).

On the embedded fleet (no --ocp-url) the fleet lives in this process: use
--wait to follow the task, or share one fleet with obconsole serve.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.runRestart(commandContext(cmd), ro)
		},
	}
	f := cmd.Flags()
	f.StringVar(&ro.cluster, "cluster", "", "the server's cluster (name or id)")
	f.StringVar(&ro.server, "server", "", "the server: IP, IP:PORT or id")
	f.BoolVar(&ro.force, "force", false, "force restart: end the observer process directly, without moving leaders away first")
	f.BoolVar(&ro.freezeServer, "freeze-server", true, "run a minor compaction before the observer stops (OCP's freezeServer): a slower stop, a faster recovery; --freeze-server=false skips it")
	f.BoolVar(&ro.yes, "yes", false, "do not ask; required without a terminal on stdin")
	f.BoolVar(&ro.wait, "wait", false, "watch the task until it ends: one line per step change, then a summary")
	addOutputFlag(cmd, &ro.output)
	return scriptable(cmd)
}

func (c *cli) runRestart(ctx context.Context, ro restartOptions) error {
	format, err := parseOutput(ro.output)
	if err != nil {
		return err
	}
	if ro.cluster == "" || ro.server == "" {
		return usageError("restart needs --cluster and --server")
	}
	if c.readonly {
		return &exitError{code: exitRefused, err: errors.New("--readonly: restart is a mutating action; nothing was sent")}
	}
	ex, closeEx, err := c.openExecutor(ctx)
	if err != nil {
		return err
	}
	defer closeEx()
	cl, err := resolveCluster(ctx, ex, ro.cluster)
	if err != nil {
		return err
	}
	s, err := resolveServer(ctx, ex, cl, ro.server)
	if err != nil {
		return err
	}
	// The journal is checked before the operator is asked, so that a
	// confirmed restart is never refused afterwards for a local reason.
	audited, err := c.audited(ex, "obconsole restart", c.stderr)
	if err != nil {
		return err
	}
	if err := c.confirm(ctx, ro.yes, restartQuestion(ex.Describe(), cl, s, ro.force, ro.freezeServer), confirmAnswer(s, ro.force)); err != nil {
		return err
	}
	actx := audit.WithSubject(ctx, audit.Subject{Cluster: cl.Name, Zone: s.ZoneName, Server: s.Address()})
	task, err := audited.RestartServer(actx, cl.ID, s.ID, backend.RestartOptions{Force: ro.force, FreezeServer: ro.freezeServer})
	if err != nil {
		return commandError(fmt.Errorf("restart of %s in cluster %s: %w", s.Address(), cl.Name, err))
	}
	if !ro.wait {
		return c.printStarted(format, ex, cl, s, ro, task)
	}
	return c.waitForTask(ctx, format, ex, task.ID, task, func(*ocp.Task) taskSubject { return serverSubject(cl, s) })
}

func confirmAnswer(s ocp.Server, force bool) string {
	if force {
		return s.IP
	}
	return ""
}

// restartQuestion names everything the operator needs to say yes: target,
// cluster, zone, server, its status and role, what force does, and
// whether a minor compaction runs first.
func restartQuestion(target backend.Target, c ocp.Cluster, s ocp.Server, force, freeze bool) string {
	role := "no root service"
	if s.WithRootserver {
		role = "root service replica"
	}
	line := safetext.Line
	what := fmt.Sprintf("OBServer %s (id %d) in zone %s of cluster %s (id %d) on %s\nstatus %s, %s\n%s",
		line(s.Address()), s.ID, line(s.ZoneName), line(c.Name), c.ID, line(target.String()), line(string(s.Status)), role, freezeLine(freeze))
	if force {
		return "FORCE restart of " + what + "\n" +
			"Force ends the observer process directly, without the graceful stop that moves\n" +
			"leaders away first; replicas can stay leaderless for minutes. Use it for a\n" +
			"server that is not serving, or when a majority of servers do not respond.\n" +
			"Type the server's IP (" + line(s.IP) + ") to confirm: "
	}
	q := "Restart " + what + "\n"
	if s.Status != ocp.ServerRunning {
		q += "The server is not RUNNING: a normal restart's pre-check will likely refuse it (--force is for that case).\n"
	}
	return q + "Restart it? [y/N] "
}

// freezeLine says whether a minor compaction runs before the stop.
func freezeLine(freeze bool) string {
	if freeze {
		return "minor compaction before the stop: yes (--freeze-server=false skips it)"
	}
	return "minor compaction before the stop: no (a faster stop, a slower recovery)"
}

func (c *cli) printStarted(format outputFormat, ex backend.Executor, cl ocp.Cluster, s ocp.Server, ro restartOptions, task *ocp.Task) error {
	if format == outputJSON {
		return writeJSONLine(c.stdout, startedEvent{eventHead: eventHead{Event: "started", Time: ex.Now(), TaskID: task.ID}, Name: task.Name,
			Status: string(task.Status), ClusterID: cl.ID, Cluster: cl.Name, ServerID: s.ID, Server: s.Address(),
			Zone: s.ZoneName, Force: ro.force, FreezeServer: ro.freezeServer, Target: ex.Describe().String()})
	}
	kind := "restart"
	if ro.force {
		kind = "force restart"
	}
	line := safetext.Line
	hint := fmt.Sprintf("follow it with: obconsole task %d --wait", task.ID)
	if !sharedFleet(ex) {
		hint = "note: " + embeddedEnds
	}
	_, err := fmt.Fprintf(c.stdout, "%s of %s (zone %s, cluster %s) accepted: task %d \"%s\" %s\n%s\n",
		kind, line(s.Address()), line(s.ZoneName), line(cl.Name), task.ID, line(task.Name), line(string(task.Outcome())), hint)
	return err
}
