package main

import (
	"errors"
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
var sshCommands = map[string]func(*globalOptions) *cobra.Command{
	"clusters": newClustersCommand,
	"zones":    newZonesCommand,
	"servers":  newServersCommand,
	"tasks":    newTasksCommand,
	"task":     newTaskCommand,
	"restart":  newRestartCommand,
	"audit":    newAuditCommand,
	"version":  newVersionCommand,
}

const sshCommandList = "clusters, zones, servers, tasks, task, restart, audit"

// runExec runs an exec request's command line with the session's streams,
// identity and executor; the context ends with the session. It returns the
// exit status, as the command would locally.
func (sv *sshServer) runExec(s *sshd.Session, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	red := sv.opts.redactor
	errw := red.Writer(stderr)
	name, err := sshCommandName(args)
	if err != nil {
		fmt.Fprintln(errw, "obconsole:", err)
		return exitUsage
	}
	if name == "restart" && sv.readOnly(s) {
		fmt.Fprintln(errw, "obconsole: this SSH key is read-only (obconsole-readonly in the server's authorized keys): restart is a mutating action; nothing was sent")
		return exitRefused
	}
	eo := &globalOptions{
		readonly: sv.readOnly(s),
		refresh:  sv.opts.refresh,
		speed:    sv.opts.speed,
		noColor:  true,
		ascii:    sv.opts.ascii || s.Getenv(sshd.EnvASCII) != "",
		theme:    sv.opts.theme,
		redactor: red,
		stdin:    stdin,
		stdout:   red.Writer(stdout),
		stderr:   errw,
		terminal: stdout,
	}
	root := &cobra.Command{
		Use:           "obconsole",
		Short:         "obconsole's scriptable commands, over ssh",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetIn(stdin)
	root.SetOut(eo.stdout)
	root.SetErr(errw)
	root.PersistentFlags().BoolVar(&eo.ascii, "ascii", eo.ascii, "ASCII only (also: ssh -o SetEnv="+sshd.EnvASCII+"=1)")
	for _, n := range strings.Split(sshCommandList+", version", ", ") {
		root.AddCommand(sshCommands[n](eo))
	}
	root.SetArgs(args)

	se := sv.sessionFor(s, presence.Place{Command: name})
	return commandStatus(root.ExecuteContext(withSSHSession(s.Context(), se)), errw)
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

// commandStatus is the exit status of a command's error, said on stderr
// as run says it locally.
func commandStatus(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintln(stderr, "obconsole:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "obconsole:", err)
	return exitFailed
}
