package main

import (
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/remote"
	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/theme"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

// globalOptions are the flags every command shares: which executor to use
// and how the console looks. Secrets never appear here: they come from the
// environment or a hidden prompt.
type globalOptions struct {
	// loadInBackground: the embedded fleet loads while the console draws
	// (set by the console, not a flag).
	loadInBackground bool
	// remote executor
	ocpURL      string
	auth        string // basic | aksk
	user        string
	caFile      string
	insecureTLS bool
	timeout     time.Duration
	debugHTTP   string
	// embedded executor
	speed    float64
	scenario string
	fleet    string
	seed     int64
	// console
	readonly    bool
	refresh     time.Duration
	noColor     bool
	ascii       bool
	theme       string
	bell        bool
	noMouse     bool
	noClipboard bool
}

// rootCommand builds the command tree of one command line.
func (a *app) rootCommand() *cobra.Command {
	c := &cli{app: a}
	root := &cobra.Command{
		Use:   "obconsole",
		Short: "A terminal console for OceanBase Cloud Platform on-call work",
		Long: `obconsole browses OceanBase clusters, zones and servers, restarts an OBServer
(normal or force, always confirmed) and watches the restart task's subtask
graph live. Without --ocp-url it runs on an embedded simulated OCP.

Secrets come only from the environment (OCP_PASSWORD, OCP_ACCESS_KEY_ID,
OCP_ACCESS_KEY_SECRET) or a hidden prompt, never from flags.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		// Every command checks the shared flags' ranges first.
		PersistentPreRunE: func(*cobra.Command, []string) error { return c.check() },
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.runConsole(commandContext(cmd))
		},
	}
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)

	f := root.PersistentFlags()
	f.StringVar(&c.ocpURL, "ocp-url", a.getenv("OCP_URL"), "base URL of a real OCP (env OCP_URL); empty: the embedded simulator")
	f.StringVar(&c.auth, "auth", remote.AuthBasic, "OCP authentication: basic (OCP_USERNAME/--user, OCP_PASSWORD) or aksk (OCP_ACCESS_KEY_ID, OCP_ACCESS_KEY_SECRET)")
	f.StringVar(&c.user, "user", a.getenv("OCP_USERNAME"), "OCP user for basic auth (env OCP_USERNAME)")
	f.StringVar(&c.caFile, "ca-file", "", "PEM file of an extra CA to trust for the OCP's TLS certificate")
	f.BoolVar(&c.insecureTLS, "insecure-skip-tls-verify", false, "do not verify the OCP's TLS certificate (shown as a warning the whole time)")
	f.DurationVar(&c.timeout, "timeout", 10*time.Second, "per-request timeout against OCP")
	f.StringVar(&c.debugHTTP, "debug-http", "", "append one line per OCP request/response to this file (secrets redacted)")

	f.Float64Var(&c.speed, "speed", 1, fmt.Sprintf("embedded: simulated time runs this many times faster than wall time (%v to %v)", embedded.MinSpeed, embedded.MaxSpeed))
	f.StringVar(&c.scenario, "scenario", "healthy", "embedded: drill scenario: "+scenarioForms+"; several separated by commas")
	f.StringVar(&c.fleet, "fleet", "", "embedded: YAML or JSON fleet file replacing the demo fleet")
	f.Int64Var(&c.seed, "seed", 1, "embedded: random seed, so a drill replays the same way")

	f.BoolVar(&c.readonly, "readonly", false, "remove every mutating action")
	f.DurationVar(&c.refresh, "refresh", time.Second, fmt.Sprintf("how often live views poll (%v to %v)", minRefresh, shortDuration(maxRefresh)))
	f.BoolVar(&c.noColor, "no-color", a.getenv("NO_COLOR") != "", "no colour (also NO_COLOR); icons and words stay")
	f.BoolVar(&c.ascii, "ascii", false, "ASCII only: no box-drawing characters or symbols, for old jump hosts")
	f.StringVar(&c.theme, "theme", "auto", "colour theme: auto, dark or light")
	f.BoolVar(&c.bell, "bell", false, "ring the terminal bell when a watched task ends")
	f.BoolVar(&c.noMouse, "no-mouse", false, "do not use the mouse (click to select, wheel to scroll); the terminal then selects text as usual")
	f.BoolVar(&c.noClipboard, "no-clipboard", false, "c never writes the terminal's clipboard (OSC 52)")

	root.AddCommand(c.versionCommand(), c.clustersCommand(), c.zonesCommand(), c.serversCommand(), c.tasksCommand(),
		c.taskCommand(), c.restartCommand(), c.auditCommand(), c.serveCommand(), c.sshCommand())
	return root
}

// The range of --refresh: faster polling burns CPU and the OCP's patience
// for nothing a person can see; slower is not live any more.
const (
	minRefresh = 100 * time.Millisecond
	maxRefresh = time.Hour
)

// scenarioForms are the drills --scenario takes, as its help and its
// errors list them (embedded.Scenario documents each).
const scenarioForms = "healthy, fail-once:STEP, hang:STEP, rollback-fail:STEP, precheck-fail or slow (STEP: a step's name or slug, e.g. wait-observer-active)"

// check refuses values of the shared flags outside their ranges or their
// sets (exit 2), before anything is opened, whichever executor the
// command will use: a bad value is a mistake even where it is ignored.
// The embedded executor checks --speed and --scenario again, for library
// callers.
func (o *globalOptions) check() error {
	if err := embedded.CheckSpeed(o.speed); err != nil || o.speed == 0 {
		return usageError("--speed %v: want a number from %v to %v (times wall time)", o.speed, embedded.MinSpeed, embedded.MaxSpeed)
	}
	if o.refresh < minRefresh || o.refresh > maxRefresh {
		return usageError("--refresh %v: want a duration from %v to %v", o.refresh, minRefresh, shortDuration(maxRefresh))
	}
	if _, err := theme.ParseMode(o.theme); err != nil {
		return usageError("--theme %s: want auto, dark or light", safetext.Excerpt(o.theme))
	}
	switch strings.ToLower(strings.TrimSpace(o.auth)) {
	case remote.AuthBasic, remote.AuthAKSK:
	default:
		return usageError("--auth %s: want basic or aksk", safetext.Excerpt(o.auth))
	}
	if _, err := embedded.ParseScenario(o.scenario); err != nil {
		// Its message names the scenarios, or the steps, it takes.
		return usageError("--%v", err)
	}
	return nil
}

// shortDuration drops the zero minutes and seconds of a whole-hour
// duration: 1h, not 1h0m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	s = strings.TrimSuffix(s, "0s")
	return strings.TrimSuffix(s, "0m")
}

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func (c *cli) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(c.stdout, "obconsole %s\n", versionString())
			return err
		},
	}
}
