package remote

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/safetext"
)

// Authentication modes of Config.Auth.
const (
	AuthBasic = "basic"
	AuthAKSK  = "aksk"
)

// Defaults and limits.
const (
	// DefaultTimeout bounds one HTTP exchange, body included.
	DefaultTimeout = 10 * time.Second
	// MaxBodyBytes is the largest response body accepted (16 MiB); a bigger
	// one is a BadResponse.
	MaxBodyBytes = 16 << 20
	// MaxPageSize is the largest page OCP serves.
	MaxPageSize = 2000
	// DefaultRetries is how many times a GET is retried after the first attempt.
	DefaultRetries = 3
	// DefaultBackoff is the first retry's nominal wait; each next one doubles.
	DefaultBackoff = 250 * time.Millisecond
	// MaxBackoff caps one backoff wait.
	MaxBackoff = 5 * time.Second
	// DefaultMaxRateLimitWait is the longest RateLimit-Reset the client waits
	// out by itself; a longer one is returned as RateLimited at once.
	DefaultMaxRateLimitWait = time.Minute
	// DefaultTaskLimit bounds ListTasks when the filter sets no limit, like
	// the embedded executor.
	DefaultTaskLimit = 1000
)

// Config configures New. Secrets (Password, AccessKeySecret) come from the
// caller, which reads them from the environment or a hidden prompt; they
// are never written to logs, errors or Describe.
type Config struct {
	// BaseURL is the OCP address, e.g. https://ocp.example:8080. It may
	// carry a path prefix; it must not carry credentials, a query or a fragment.
	BaseURL string
	// Auth is AuthBasic (the default when empty) or AuthAKSK.
	Auth string
	// User and Password for Basic authentication.
	User     string
	Password string
	// AccessKeyID and AccessKeySecret for AK/SK signing.
	AccessKeyID     string
	AccessKeySecret string

	// CAFile is a PEM file of extra CAs trusted besides the system pool.
	CAFile string
	// InsecureSkipVerify turns TLS verification off (Describe says so).
	InsecureSkipVerify bool
	// Timeout bounds each HTTP exchange (0: DefaultTimeout). The caller's
	// context bounds the whole call, retries included.
	Timeout time.Duration

	// DebugHTTP receives one line per request and one per response
	// (method, path, status, duration, trace id, sizes), secrets redacted.
	DebugHTTP io.Writer
	// DebugHTTPFile, when set, is opened for appending (mode 0600) and
	// receives the same lines; Close closes it.
	DebugHTTPFile string

	// Redactor is the process's one redactor: New registers the password,
	// Basic credential or access key secret with it, and every per-request
	// signature, so the screen, stderr and journal can scrub them too. Nil:
	// the executor keeps a redactor of its own.
	Redactor *safetext.Redactor

	// PageSize is the page size asked of paged lists (0: MaxPageSize).
	PageSize int
	// MaxBodyBytes caps a response body (0: MaxBodyBytes).
	MaxBodyBytes int64
	// Retries is how often a GET is retried (0: DefaultRetries; < 0: never).
	Retries int
	// Backoff is the first retry's nominal wait (0: DefaultBackoff).
	Backoff time.Duration
	// MaxRateLimitWait is the longest RateLimit-Reset waited out
	// (0: DefaultMaxRateLimitWait).
	MaxRateLimitWait time.Duration
	// UserAgent is sent with every request (empty: "obconsole").
	UserAgent string

	// Now is the local clock (nil: time.Now). It dates AK/SK signatures
	// and the debug lines, and anchors the server clock estimate.
	Now func() time.Time
	// Sleep waits between retries (nil: a timer honouring ctx). Tests
	// inject one that records the waits and returns at once.
	Sleep func(ctx context.Context, d time.Duration) error
	// Jitter returns a number in [0, 1) that spreads backoff waits
	// (nil: math/rand/v2).
	Jitter func() float64
}

func configError(format string, args ...any) error {
	return backend.Errorf(backend.BadRequest, "configure OCP client", format, args...)
}

// normalize checks c and fills in the defaults. It never echoes a secret.
func (c *Config) normalize() (*url.URL, error) {
	raw := strings.TrimSpace(c.BaseURL)
	if raw == "" {
		return nil, configError("no OCP URL")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, configError("OCP URL %q is not an http:// or https:// URL with a host", redactURL(raw))
	}
	if u.User != nil {
		return nil, configError("the OCP URL must not carry credentials; give the user with --user and the password in OCP_PASSWORD")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, configError("the OCP URL must not carry a query or fragment")
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""

	switch strings.ToLower(c.Auth) {
	case "", AuthBasic:
		c.Auth = AuthBasic
		if c.User == "" {
			return nil, configError("basic authentication needs a user (--user or OCP_USERNAME)")
		}
		if c.Password == "" {
			return nil, configError("basic authentication needs a password (OCP_PASSWORD, or the prompt on a terminal)")
		}
	case AuthAKSK:
		c.Auth = AuthAKSK
		if c.AccessKeyID == "" || c.AccessKeySecret == "" {
			return nil, configError("AK/SK authentication needs OCP_ACCESS_KEY_ID and OCP_ACCESS_KEY_SECRET")
		}
	default:
		return nil, configError("unknown authentication %q: use basic or aksk", c.Auth)
	}

	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.PageSize <= 0 || c.PageSize > MaxPageSize {
		c.PageSize = MaxPageSize
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = MaxBodyBytes
	}
	switch {
	case c.Retries == 0:
		c.Retries = DefaultRetries
	case c.Retries < 0:
		c.Retries = 0
	}
	if c.Backoff <= 0 {
		c.Backoff = DefaultBackoff
	}
	if c.MaxRateLimitWait <= 0 {
		c.MaxRateLimitWait = DefaultMaxRateLimitWait
	}
	if c.UserAgent == "" {
		c.UserAgent = "obconsole"
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Sleep == nil {
		c.Sleep = sleep
	}
	return u, nil
}

// tlsConfig verifies by default, adds CAFile's CAs, or skips verification.
func (c *Config) tlsConfig() (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: c.InsecureSkipVerify}
	if c.CAFile == "" {
		return cfg, nil
	}
	pem, err := os.ReadFile(c.CAFile)
	if err != nil {
		return nil, configError("read CA file: %v", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, configError("CA file %s holds no PEM certificate", c.CAFile)
	}
	cfg.RootCAs = pool
	return cfg, nil
}

// sleep waits d, or until ctx ends (its error then).
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	wait, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	<-wait.Done()
	return ctx.Err()
}

// redactURL hides the credentials part of a URL text, if any.
func redactURL(s string) string {
	if at := strings.LastIndex(s, "@"); at >= 0 {
		if scheme := strings.Index(s, "://"); scheme >= 0 && scheme < at {
			return s[:scheme+3] + "[REDACTED]@" + s[at+1:]
		}
		return "[REDACTED]@" + s[at+1:]
	}
	return s
}

// String describes c without its secrets, so printing a Config by mistake
// leaks nothing.
func (c Config) String() string {
	return fmt.Sprintf("remote.Config{BaseURL: %q, Auth: %q, User: %q, AccessKeyID: %q, Password: [REDACTED], AccessKeySecret: [REDACTED]}",
		redactURL(c.BaseURL), c.Auth, c.User, c.AccessKeyID)
}

// GoString is String, for %#v.
func (c Config) GoString() string { return c.String() }
