package main

import (
	"context"
	"errors"
	"fmt"
	"os"
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

// readSecret asks for a secret on the terminal without echoing it; Ctrl-C
// or ctx ending aborts it with errPromptInterrupted. Tests replace it; it
// is only called when stdinIsTerminal says yes.
var readSecret = func(ctx context.Context, o *globalOptions, prompt string) (string, error) {
	f, ok := o.stdin.(*os.File)
	if !ok {
		return "", fmt.Errorf("cannot prompt: standard input is not a terminal")
	}
	return promptSecret(ctx, f, o.stderr, prompt)
}

// remoteConfig builds the remote executor's configuration from the global
// flags and the environment, prompting for a missing secret when stdin is
// a terminal.
func remoteConfig(ctx context.Context, o *globalOptions) (remote.Config, error) {
	const op = "configure OCP client"
	cfg := remote.Config{
		BaseURL:            o.ocpURL,
		Auth:               strings.ToLower(strings.TrimSpace(o.auth)),
		User:               o.user,
		CAFile:             o.caFile,
		InsecureSkipVerify: o.insecureTLS,
		Timeout:            o.timeout,
		DebugHTTPFile:      o.debugHTTP,
		Redactor:           o.redactor,
	}
	ask := func(what, env string) (string, error) {
		if !stdinIsTerminal(o.stdin) {
			return "", backend.Errorf(backend.BadRequest, op,
				"%s needs %s in the environment (secrets are never taken from flags; on a terminal obconsole asks for it)", what, env)
		}
		v, err := readSecret(ctx, o, fmt.Sprintf("%s for %s: ", what, o.ocpURL))
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
	switch cfg.Auth {
	case "", remote.AuthBasic:
		cfg.Auth = remote.AuthBasic
		if cfg.User == "" {
			return cfg, backend.Errorf(backend.BadRequest, op, "basic authentication needs a user: --user or OCP_USERNAME")
		}
		cfg.Password = os.Getenv(envPassword)
		if cfg.Password == "" {
			p, err := ask("OCP password of "+cfg.User, envPassword)
			if err != nil {
				return cfg, err
			}
			cfg.Password = p
		}
	case remote.AuthAKSK:
		cfg.AccessKeyID = os.Getenv(envAccessKeyID)
		if cfg.AccessKeyID == "" {
			return cfg, backend.Errorf(backend.BadRequest, op, "AK/SK authentication needs %s in the environment", envAccessKeyID)
		}
		cfg.AccessKeySecret = os.Getenv(envAccessKeySecret)
		if cfg.AccessKeySecret == "" {
			s, err := ask("OCP access key secret of "+cfg.AccessKeyID, envAccessKeySecret)
			if err != nil {
				return cfg, err
			}
			cfg.AccessKeySecret = s
		}
	default:
		return cfg, backend.Errorf(backend.BadRequest, op, "unknown --auth %q: use basic or aksk", o.auth)
	}
	return cfg, nil
}

func init() {
	openRemoteExecutor = func(ctx context.Context, o *globalOptions) (backend.Executor, func(), error) {
		cfg, err := remoteConfig(ctx, o)
		if err != nil {
			return nil, nil, err
		}
		ex, err := remote.New(cfg)
		if err != nil {
			return nil, nil, err
		}
		if cfg.InsecureSkipVerify {
			fmt.Fprintln(o.stderr, "obconsole: warning: TLS verification is off (--insecure-skip-tls-verify); anyone on the path can read and change the traffic")
		}
		return ex, func() { _ = ex.Close() }, nil
	}
}
