package safetext

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	cases := []struct{ in, want string }{
		{"protoss", "protoss"},
		{"zone1 ✓ 日本", "zone1 ✓ 日本"},
		{"\x1b]0;pwned\x07", "^[]0;pwned^G"},
		{"\x1b]52;c;ZXZpbA==\x1b\\", `^[]52;c;ZXZpbA==^[\`},
		{"\x1b[2J\x1b[H", "^[[2J^[[H"},
		{"a\bb", "a^Hb"},
		{"a\nb\tc\rd", "a^Jb^Ic^Md"},
		{"del\x7f", "del^?"},
		{"c1\u009b31m", `c1\u009b31m`},
		{"\u0085nel", `\u0085nel`},
		{"dcs\x90q\x9c", `dcs\x90q\x9c`}, // raw bytes, not UTF-8
		{"abc\u202egnp.exe", `abc\u202egnp.exe`},
		{"\u2066x\u2069\u200e\u200f\u061c", `\u2066x\u2069\u200e\u200f\u061c`},
		{"line\u2028sep\u2029", `line\u2028sep\u2029`},
		{"bad\xffutf8", `bad\xffutf8`},
		{"", ""},
	}
	for _, c := range cases {
		if got := Line(c.in); got != c.want {
			t.Errorf("Line(%q) = %q, want %q", c.in, got, c.want)
		}
		if IsSafe(c.in) != (c.in == c.want) {
			t.Errorf("IsSafe(%q) = %v", c.in, IsSafe(c.in))
		}
	}
}

func TestText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"one\ntwo\n", "one\ntwo\n"},
		{"crlf\r\nnext", "crlf\nnext"},
		{"cr\roverwrite", "cr^Moverwrite"},
		{"\tx", "        x"},
		{"ab\tx", "ab      x"},
		{"12345678\tx", "12345678        x"},
		{"l1\n\tx", "l1\n        x"},
		{"\x1b[31mred\x1b[0m\n", "^[[31mred^[[0m\n"},
	}
	for _, c := range cases {
		if got := Text(c.in); got != c.want {
			t.Errorf("Text(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSafeStringIsNotCopied(t *testing.T) {
	s := strings.Repeat("safe text ", 100)
	if testing.AllocsPerRun(10, func() { _ = Line(s) }) != 0 {
		t.Error("Line allocates for text that is already safe")
	}
}

func TestExcerpt(t *testing.T) {
	if got := Excerpt("zone\x1b1"); got != `"zone^[1"` {
		t.Errorf("short: %s", got)
	}
	long := strings.Repeat("x", 100<<20)
	got := Excerpt(long)
	if len(got) > 200 || !strings.Contains(got, "(104857600 bytes)") {
		t.Errorf("long excerpt is %d bytes: %.120s", len(got), got)
	}
	multi := strings.Repeat("日", MaxExcerpt+1)
	if got := Excerpt(multi); !strings.HasPrefix(got, `"`+strings.Repeat("日", MaxExcerpt)+`…"`) {
		t.Errorf("runes: %s", got)
	}
}

// unsafeOutput reports the first thing in out a terminal would act on.
func unsafeOutput(out string, multiline bool) (string, bool) {
	for i, r := range out {
		switch {
		case r == '\n' && multiline:
		case r < 0x20 || r == 0x7f:
			return out[i:], true
		case r == utf8.RuneError:
			if _, n := utf8.DecodeRuneInString(out[i:]); n == 1 {
				return out[i:], true
			}
		case unsafeRune(r):
			return out[i:], true
		}
	}
	return "", false
}

func FuzzSanitize(f *testing.F) {
	for _, seed := range []string{"", "plain", "\x1b]0;t\x07", "\x9b2J", "\u202e", "a\r\nb\tc", "\xff\xfe", "\xc2\x9b"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		line, text := Line(s), Text(s)
		if rest, bad := unsafeOutput(line, false); bad {
			t.Fatalf("Line(%q) left %q", s, rest)
		}
		if rest, bad := unsafeOutput(text, true); bad {
			t.Fatalf("Text(%q) left %q", s, rest)
		}
		if !utf8.ValidString(line) || !utf8.ValidString(text) {
			t.Fatalf("invalid UTF-8 out of %q", s)
		}
		if Line(line) != line || Text(text) != text {
			t.Fatalf("not idempotent on %q", s)
		}
		if IsSafe(s) && line != s {
			t.Fatalf("safe %q changed to %q", s, line)
		}
		// Nothing is dropped: every printable ASCII byte of the input is still there, in order.
		var want []byte
		for i := 0; i < len(s); i++ {
			if c := s[i]; c > 0x20 && c < 0x7f && c != '^' && c != '\\' {
				want = append(want, c)
			}
		}
		var got []byte
		for i := 0; i < len(line); i++ {
			if c := line[i]; c > 0x20 && c < 0x7f && c != '^' && c != '\\' {
				got = append(got, c)
			}
		}
		if !isSubsequence(want, got) {
			t.Fatalf("Line(%q) = %q lost text", s, line)
		}
	})
}

func isSubsequence(sub, of []byte) bool {
	j := 0
	for i := 0; i < len(of) && j < len(sub); i++ {
		if of[i] == sub[j] {
			j++
		}
	}
	return j == len(sub)
}

func TestRedactor(t *testing.T) {
	r := NewRedactor()
	r.Add("s3cr\"et/+", "admin:s3cr\"et/+")
	basic := base64.StdEncoding.EncodeToString([]byte("admin:s3cr\"et/+"))
	r.AddTransient("sig=abc/def+")
	for _, in := range []string{
		"password s3cr\"et/+ echoed",
		`json "s3cr\"et/+"`,
		"query s3cr%22et%2F%2B",
		"trace Basic " + basic,
		"signature sig=abc/def+",
	} {
		got := r.String(in)
		if strings.Contains(got, "s3cr") || strings.Contains(got, basic) || strings.Contains(got, "abc/def") || !strings.Contains(got, Redacted) {
			t.Errorf("String(%q) = %q", in, got)
		}
		if b := r.Bytes([]byte(in)); string(b) != got {
			t.Errorf("Bytes(%q) = %q, want %q", in, b, got)
		}
	}
	plain := []byte("nothing secret here")
	if b := r.Bytes(plain); &b[0] != &plain[0] {
		t.Error("Bytes copied a clean slice")
	}
	var nilR *Redactor
	if nilR.String("x") != "x" || !nilR.Empty() {
		t.Error("nil redactor")
	}
	nilR.Add("x")
}

func TestRedactorLongestFirst(t *testing.T) {
	r := NewRedactor()
	r.Add("abc", "xxabcxx")
	if got := r.String("-xxabcxx-"); got != "-"+Redacted+"-" {
		t.Errorf("got %q", got)
	}
}

func TestRedactorTransientBounded(t *testing.T) {
	r := NewRedactor()
	for i := range maxTransient + 10 {
		r.AddTransient(strings.Repeat("s", i+1) + "!")
	}
	if len(r.transient) != maxTransient {
		t.Fatalf("%d transient values kept", len(r.transient))
	}
	if got := r.String("s!"); got != "s!" {
		t.Errorf("the oldest value is still redacted: %q", got)
	}
}

func TestWriter(t *testing.T) {
	r := NewRedactor()
	r.Add("hunter22")
	var buf bytes.Buffer
	w := r.Writer(&buf)
	msg := []byte("obconsole: Unauthorized [trace hunter22\x1b]0;x\x07]\n")
	n, err := w.Write(msg)
	if err != nil || n != len(msg) {
		t.Fatalf("n=%d err=%v", n, err)
	}
	if got := buf.String(); got != "obconsole: Unauthorized [trace [REDACTED]^[]0;x^G]\n" {
		t.Errorf("got %q", got)
	}
}

// A one-letter password is not searched for: it would eat "port" out of
// every answer. The Basic credential holding it is still redacted.
func TestRedactorIgnoresTooShortSecrets(t *testing.T) {
	r := NewRedactor()
	basic := base64.StdEncoding.EncodeToString([]byte("admin:p"))
	r.Add("p", "admin:p", basic)
	if got := r.String(`{"port":2882}`); got != `{"port":2882}` {
		t.Errorf("short secret redacted ordinary text: %s", got)
	}
	if got := r.String("Authorization: Basic " + basic); strings.Contains(got, basic) {
		t.Errorf("the Basic credential is still a secret: %s", got)
	}
}
