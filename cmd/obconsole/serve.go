package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocpserver"
	"github.com/obconsole/obconsole/backend/safetext"
)

// shutdownGrace is how long serve waits for requests in flight when it
// is asked to stop.
const shutdownGrace = 5 * time.Second

func (c *cli) serveCommand() *cobra.Command {
	var so serveOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the embedded fleet as OCP API v2 over HTTP",
		Long: `serve runs the embedded simulated OCP (--speed, --scenario, --fleet, --seed)
behind an HTTP server that speaks OCP API v2, so several terminals (or any
OCP client) can share one fleet: point them at it with --ocp-url.

Credentials: Basic with the user from --user (or OCP_USERNAME) and the
password from OCP_PASSWORD, and/or AK/SK with OCP_ACCESS_KEY_ID and
OCP_ACCESS_KEY_SECRET. Without any, serve refuses to start unless
--no-auth is given, which is for demos on a loopback address only: with a
--listen address that is not loopback (0.0.0.0, ::, an empty host, another
IP or a name other than localhost) it refuses to start. It stops
gracefully on SIGINT, SIGTERM or SIGHUP.`,
		Example: `  OCP_USERNAME=admin OCP_PASSWORD=demo obconsole serve --listen 127.0.0.1:8080 --speed 10
  OCP_PASSWORD=demo obconsole --ocp-url http://127.0.0.1:8080 --user admin`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.runServe(commandContext(cmd), so)
		},
	}
	cmd.Flags().StringVar(&so.listen, "listen", "127.0.0.1:8080", "address to listen on (host:port; port 0 picks a free one)")
	cmd.Flags().BoolVar(&so.noAuth, "no-auth", false, "serve without any authentication (loopback --listen addresses only)")
	return cmd
}

// serveCredentials reads who may call the server: Basic users and AK/SK
// keys. Secrets come only from the environment.
func (c *cli) serveCredentials() (users, keys map[string]string, err error) {
	users, keys = map[string]string{}, map[string]string{}
	if pw := c.getenv(envPassword); pw != "" {
		if c.user == "" {
			return nil, nil, fmt.Errorf("%s is set but no user: give --user or OCP_USERNAME", envPassword)
		}
		users[c.user] = pw
	}
	id, secret := c.getenv(envAccessKeyID), c.getenv(envAccessKeySecret)
	switch {
	case id != "" && secret != "":
		keys[id] = secret
	case id != "" || secret != "":
		return nil, nil, fmt.Errorf("AK/SK needs both %s and %s", envAccessKeyID, envAccessKeySecret)
	}
	return users, keys, nil
}

// isLoopback reports whether a --listen address binds only a loopback
// interface: a loopback IP or the name localhost. An empty host binds
// every interface.
func isLoopback(listen string) bool {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// serveOptions are serve's own flags.
type serveOptions struct {
	listen string
	noAuth bool
}

func (c *cli) runServe(ctx context.Context, so serveOptions) error {
	if so.noAuth && !isLoopback(so.listen) {
		return &exitError{code: exitUsage, err: fmt.Errorf("serve: --no-auth serves anyone who can connect, so it listens on a loopback address only "+
			"(127.0.0.1:PORT, [::1]:PORT or localhost:PORT), not %s; set credentials to serve other addresses", safetext.Excerpt(so.listen))}
	}
	users, keys, err := c.serveCredentials()
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if len(users) == 0 && len(keys) == 0 && !so.noAuth {
		return &exitError{code: exitUsage, err: errors.New("serve: no credentials: set OCP_PASSWORD (with --user or OCP_USERNAME) " +
			"and/or OCP_ACCESS_KEY_ID and OCP_ACCESS_KEY_SECRET, or pass --no-auth for a demo on a loopback address")}
	}
	ex, err := embedded.New(c.embeddedOptions())
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	defer ex.Close()

	l, err := net.Listen("tcp", so.listen)
	if err != nil {
		return &exitError{code: exitFailed, err: fmt.Errorf("serve: %w", err)}
	}
	handler := ocpserver.New(ocpserver.Config{Executor: ex, Users: users, AccessKeys: keys, NoAuth: so.noAuth})
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}

	fmt.Fprintf(c.stdout, "obconsole serve: listening on http://%s (%s; auth: %s)\n", l.Addr(), ex.Describe().Label, authSummary(users, keys, so.noAuth))
	fmt.Fprintf(c.stdout, "obconsole serve: connect with: %s\n", connectHint(l.Addr().String(), users, keys))

	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	select {
	case err := <-served:
		return &exitError{code: exitFailed, err: fmt.Errorf("serve: %w", err)}
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
	}
	<-served
	fmt.Fprintln(c.stdout, "obconsole serve: stopped")
	return nil
}

// connectHint is the command line that points a console at this server;
// secrets show as the environment variables that carry them.
func connectHint(addr string, users, keys map[string]string) string {
	for u := range users {
		return "OCP_PASSWORD=… obconsole --ocp-url http://" + addr + " --user " + u
	}
	for id := range keys {
		return "OCP_ACCESS_KEY_ID=" + id + " OCP_ACCESS_KEY_SECRET=… obconsole --ocp-url http://" + addr + " --auth aksk"
	}
	return "OCP_PASSWORD=any obconsole --ocp-url http://" + addr + " --user demo (--no-auth accepts any credentials)"
}

// authSummary names the accepted users and keys, never a secret.
func authSummary(users, keys map[string]string, noAuth bool) string {
	if noAuth {
		return "none (--no-auth)"
	}
	var parts []string
	for u := range users {
		parts = append(parts, "basic as "+u)
	}
	for id := range keys {
		parts = append(parts, "AK/SK key "+id)
	}
	return strings.Join(parts, ", ")
}
