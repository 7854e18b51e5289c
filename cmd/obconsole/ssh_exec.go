package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/cmd/obconsole/internal/sshd"
	"github.com/obconsole/obconsole/ui/presence"
)

// sshCommands are the commands an exec request may run: the scriptable
// ones. The console (it needs ssh -t), serve and ssh (they would serve
// from inside a session) are not among them, nor are the executor and
// console flags: a client uses the server's executor, never names one.
var sshCommands = map[string]func(*cli) *cobra.Command{
	"clusters": (*cli).clustersCommand,
	"zones":    (*cli).zonesCommand,
	"servers":  (*cli).serversCommand,
	"tasks":    (*cli).tasksCommand,
	"task":     (*cli).taskCommand,
	"restart":  (*cli).restartCommand,
	"audit":    (*cli).auditCommand,
	"version":  (*cli).versionCommand,
}

const sshCommandList = "clusters, zones, servers, tasks, task, restart, audit"

// runExec runs an exec request's command line with the session's streams,
// identity and executor; the context ends with the session. It returns the
// exit status, as the command would locally.
func (sv *sshServer) runExec(s *sshd.Session, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	errw := sv.redactor.Writer(stderr)
	name, err := sshCommandName(args)
	if err != nil {
		fmt.Fprintln(errw, "obconsole:", err)
		return exitUsage
	}
	if name == "restart" && sv.readOnly(s) {
		fmt.Fprintln(errw, "obconsole: this SSH key is read-only (obconsole-readonly in the server's authorized keys): restart is a mutating action; nothing was sent")
		return exitRefused
	}
	a := sv.sessionApp(s, sv.sessionFor(s, presence.Place{Command: name}))
	a.stdin, a.stdout, a.stderr, a.terminal = stdin, a.redactor.Writer(stdout), errw, stdout
	c := &cli{app: a, globalOptions: globalOptions{
		readonly: sv.readOnly(s),
		refresh:  sv.refresh,
		speed:    sv.speed,
		noColor:  true,
		ascii:    sv.ascii || s.Getenv(sshd.EnvASCII) != "",
		theme:    sv.theme,
	}}
	root := &cobra.Command{
		Use:           "obconsole",
		Short:         "obconsole's scriptable commands, over ssh",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetIn(stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.PersistentFlags().BoolVar(&c.ascii, "ascii", c.ascii, "ASCII only (also: ssh -o SetEnv="+sshd.EnvASCII+"=1)")
	for _, n := range strings.Split(sshCommandList+", version", ", ") {
		root.AddCommand(sshCommands[n](c))
	}
	root.SetArgs(args)
	return exitStatus(root.ExecuteContext(s.Context()), a.stderr)
}

// sshCommandName is the command an exec request names: its first word
// after --ascii; a help request is "help".
func sshCommandName(args []string) (string, error) {
	for _, a := range args {
		switch {
		case a == "--ascii" || strings.HasPrefix(a, "--ascii="):
			continue
		case a == "-h" || a == "--help" || a == "help":
			return "help", nil
		case strings.HasPrefix(a, "-"):
			return "", fmt.Errorf("%s: name the command first (%s), then its flags; the executor is the server's", safetext.Excerpt(a), sshCommandList)
		case sshCommands[a] != nil:
			return a, nil
		default:
			return "", fmt.Errorf("%s cannot run over ssh: run one of %s, or connect with ssh -t for the console", safetext.Excerpt(a), sshCommandList)
		}
	}
	return "", fmt.Errorf("no command: run one of %s, or connect with ssh -t for the console", sshCommandList)
}
