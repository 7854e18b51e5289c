package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/remote"
)

// Environment variables that carry secrets (never flags).
const (
	envPassword        = "OCP_PASSWORD"
	envAccessKeyID     = "OCP_ACCESS_KEY_ID"
	envAccessKeySecret = "OCP_ACCESS_KEY_SECRET"
)

// remoteConfig builds the remote executor's configuration from the global
// flags and the environment, prompting for a missing secret when stdin is
// a terminal.
func (c *cli) remoteConfig(ctx context.Context) (remote.Config, error) {
	const op = "configure OCP client"
	cfg := remote.Config{
		BaseURL:            c.ocpURL,
		Auth:               strings.ToLower(strings.TrimSpace(c.auth)),
		User:               c.user,
		CAFile:             c.caFile,
		InsecureSkipVerify: c.insecureTLS,
		Timeout:            c.timeout,
		DebugHTTPFile:      c.debugHTTP,
		Redactor:           c.redactor,
	}
	// secret is the environment's, or the operator's answer on a terminal.
	secret := func(env, what string) (string, error) {
		if v := c.getenv(env); v != "" {
			return v, nil
		}
		if !c.isTerminal(c.stdin) {
			return "", backend.Errorf(backend.BadRequest, op,
				"%s needs %s in the environment (secrets are never taken from flags; on a terminal obconsole asks for it)", what, env)
		}
		v, err := c.readSecret(ctx, c.stdin, c.stderr, fmt.Sprintf("%s for %s: ", what, c.ocpURL))
		if errors.Is(err, errPromptInterrupted) {
			return "", &exitError{code: exitInterrupted, err: err}
		}
		if err != nil {
			return "", &backend.Error{Kind: backend.BadRequest, Op: op, Message: err.Error(), Err: err}
		}
		if v == "" {
			return "", backend.Errorf(backend.BadRequest, op, "no %s given", what)
		}
		return v, nil
	}
	var err error
	switch cfg.Auth {
	case "", remote.AuthBasic:
		cfg.Auth = remote.AuthBasic
		if cfg.User == "" {
			return cfg, backend.Errorf(backend.BadRequest, op, "basic authentication needs a user: --user or OCP_USERNAME")
		}
		cfg.Password, err = secret(envPassword, "OCP password of "+cfg.User)
	case remote.AuthAKSK:
		cfg.AccessKeyID = c.getenv(envAccessKeyID)
		if cfg.AccessKeyID == "" {
			return cfg, backend.Errorf(backend.BadRequest, op, "AK/SK authentication needs %s in the environment", envAccessKeyID)
		}
		cfg.AccessKeySecret, err = secret(envAccessKeySecret, "OCP access key secret of "+cfg.AccessKeyID)
	default:
		return cfg, backend.Errorf(backend.BadRequest, op, "unknown --auth %q: use basic or aksk", c.auth)
	}
	return cfg, err
}

// remoteExecutor opens the remote executor the flags and the environment
// name.
func (c *cli) remoteExecutor(ctx context.Context) (backend.Executor, func(), error) {
	cfg, err := c.remoteConfig(ctx)
	if err != nil {
		return nil, nil, err
	}
	ex, err := remote.New(cfg)
	if err != nil {
		return nil, nil, err
	}
	if cfg.InsecureSkipVerify {
		fmt.Fprintln(c.stderr, "obconsole: warning: TLS verification is off (--insecure-skip-tls-verify); anyone on the path can read and change the traffic")
	}
	return ex, func() { _ = ex.Close() }, nil
}
