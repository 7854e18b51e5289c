package main

import (
	"fmt"
	"io"
	"os"
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

	// redactor is the process's one redactor: the remote executor registers
	// its secrets and signatures with it; stdout, stderr, the journal and
	// the console's screen pass through it.
	redactor *safetext.Redactor

	stdin io.Reader
	// stdout and stderr are the commands' output, redacted and made safe
	// (redactor.Writer); terminal is the raw stdout the console draws on.
	stdout, stderr io.Writer
	terminal       io.Writer
}

// newRootCommand builds the command tree; stderr is written as given (run
// passes it through redactor already), stdout is wrapped here for the
// commands and kept raw for the console.
func newRootCommand(stdin io.Reader, stdout, stderr io.Writer, redactor *safetext.Redactor) *cobra.Command {
	opts := &globalOptions{stdin: stdin, stdout: redactor.Writer(stdout), stderr: stderr, terminal: stdout, redactor: redactor}
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
		PersistentPreRunE: func(*cobra.Command, []string) error { return opts.check() },
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runConsole(cmd, opts)
		},
	}
	root.SetIn(stdin)
	root.SetOut(opts.stdout)
	root.SetErr(stderr)

	f := root.PersistentFlags()
	f.StringVar(&opts.ocpURL, "ocp-url", os.Getenv("OCP_URL"), "base URL of a real OCP (env OCP_URL); empty: the embedded simulator")
	f.StringVar(&opts.auth, "auth", remote.AuthBasic, "OCP authentication: basic (OCP_USERNAME/--user, OCP_PASSWORD) or aksk (OCP_ACCESS_KEY_ID, OCP_ACCESS_KEY_SECRET)")
	f.StringVar(&opts.user, "user", os.Getenv("OCP_USERNAME"), "OCP user for basic auth (env OCP_USERNAME)")
	f.StringVar(&opts.caFile, "ca-file", "", "PEM file of an extra CA to trust for the OCP's TLS certificate")
	f.BoolVar(&opts.insecureTLS, "insecure-skip-tls-verify", false, "do not verify the OCP's TLS certificate (shown as a warning the whole time)")
	f.DurationVar(&opts.timeout, "timeout", 10*time.Second, "per-request timeout against OCP")
	f.StringVar(&opts.debugHTTP, "debug-http", "", "append one line per OCP request/response to this file (secrets redacted)")

	f.Float64Var(&opts.speed, "speed", 1, fmt.Sprintf("embedded: simulated time runs this many times faster than wall time (%v to %v)", embedded.MinSpeed, embedded.MaxSpeed))
	f.StringVar(&opts.scenario, "scenario", "healthy", "embedded: drill scenario: "+scenarioForms+"; several separated by commas")
	f.StringVar(&opts.fleet, "fleet", "", "embedded: YAML or JSON fleet file replacing the demo fleet")
	f.Int64Var(&opts.seed, "seed", 1, "embedded: random seed, so a drill replays the same way")

	f.BoolVar(&opts.readonly, "readonly", false, "remove every mutating action")
	f.DurationVar(&opts.refresh, "refresh", time.Second, fmt.Sprintf("how often live views poll (%v to %v)", minRefresh, shortDuration(maxRefresh)))
	f.BoolVar(&opts.noColor, "no-color", os.Getenv("NO_COLOR") != "", "no colour (also NO_COLOR); icons and words stay")
	f.BoolVar(&opts.ascii, "ascii", false, "ASCII only: no box-drawing characters or symbols, for old jump hosts")
	f.StringVar(&opts.theme, "theme", "auto", "colour theme: auto, dark or light")
	f.BoolVar(&opts.bell, "bell", false, "ring the terminal bell when a watched task ends")
	f.BoolVar(&opts.noMouse, "no-mouse", false, "do not use the mouse (click to select, wheel to scroll); the terminal then selects text as usual")
	f.BoolVar(&opts.noClipboard, "no-clipboard", false, "c never writes the terminal's clipboard (OSC 52)")

	root.AddCommand(newVersionCommand(opts))
	for _, add := range extraCommands {
		root.AddCommand(add(opts))
	}
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

// extraCommands lets each command live in its own file: a file's init
// appends its constructor here.
var extraCommands []func(*globalOptions) *cobra.Command

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func newVersionCommand(opts *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(opts.stdout, "obconsole %s\n", versionString())
			return err
		},
	}
}
