package main

import (
	"strings"
	"testing"

	"github.com/obconsole/obconsole/backend/embedded"
)

// Bad values of the shared flags exit 2 before anything runs, with the
// allowed values named, whichever executor the command would use.
func TestBadFlagValuesNameTheAllowedOnes(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{})
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--theme", "blue", "clusters"}, `--theme "blue": want auto, dark or light`},
		{[]string{"--theme", "blue", "version"}, `--theme "blue": want auto, dark or light`},
		{[]string{"--auth", "foo", "clusters"}, `--auth "foo": want basic or aksk`},
		{[]string{"--scenario", "bogus", "clusters"}, "use healthy, fail-once:STEP, hang:STEP, rollback-fail:STEP, precheck-fail or slow"},
		{[]string{"--scenario", "hang:nosuch", "tasks"}, `unknown step "nosuch"; steps are: Prepare restart observer`},
		{[]string{"--scenario", "rollback-fail", "tasks"}, "rollback-fail needs a step"},
		{[]string{"clusters", "-o", "yaml"}, `-o "yaml": want text or json`},
		{[]string{"tasks", "-o", "yaml"}, `-o "yaml": want text or json`},
		{[]string{"task", "1", "-o", "yaml"}, `-o "yaml": want text or json`},
		{[]string{"audit", "-o", "yaml"}, `-o "yaml": want text or json`},
	} {
		code, out, errOut := c.run("", tc.args...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d: %q %q, want exit 2 saying %q", tc.args, code, out, errOut, tc.want)
		}
	}
	for _, args := range [][]string{
		{"--theme", "LIGHT", "clusters"}, {"--auth", "AKSK", "clusters"}, {"--scenario", "slow,rollback-fail:stop-server", "clusters"},
	} {
		if code, _, errOut := c.run("", args...); code != 0 {
			t.Errorf("%v: exit %d: %s", args, code, errOut)
		}
	}
}

// The --scenario help lists every drill, rollback-fail:STEP included.
func TestScenarioHelpListsEveryDrill(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{})
	_, out, _ := c.run("", "--help")
	for _, want := range []string{"healthy", "fail-once:STEP", "hang:STEP", "rollback-fail:STEP", "precheck-fail", "slow"} {
		if !strings.Contains(out, want) {
			t.Errorf("--help does not list %s:\n%s", want, out)
		}
	}
}

// A missing user with --ocp-url is a usage error in the console too (it
// exited 1 there): nothing is drawn.
func TestConsoleWithoutUserExits2(t *testing.T) {
	t.Parallel()
	c := newCLIFlags(t)
	c.setenv("OCP_PASSWORD", "secret")
	_, tty := openPTY(t, 80, 24)
	var errOut strings.Builder
	code := c.app(tty, tty, &errOut).run(t.Context(), []string{"--ocp-url", "http://127.0.0.1:9", "--theme", "dark"})
	if code != exitUsage || !strings.Contains(errOut.String(), "needs a user: --user or OCP_USERNAME") {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
}
