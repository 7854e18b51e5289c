package ocp

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func docDate(t *testing.T) time.Time {
	t.Helper()
	d, err := time.Parse(http.TimeFormat, "Mon, 15 Apr 2024 09:25:02 GMT")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// The test vector of the OCP documentation (OCP-API.md, Authentication).
func TestSignDocumentedVector(t *testing.T) {
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("x-ocp-origin", "for-test")
	h.Set("Accept-Language", "en-US") // not signed
	q := url.Values{}
	q.Set("metrics", "host_disk_total")
	q.Set("labels", "svr_ip:127.0.0.1")
	q.Set("groupBy", "app,svr_ip,device,mount_point")
	q.Set("startTime", "2024-04-15T14:29:55+08:00")
	q.Set("endTime", "2024-04-15T14:30:55+08:00")
	q.Set("maxPoints", "360")
	r := SignRequest{
		Method: "GET",
		Host:   "127.0.0.1:8080",
		Path:   "/api/v2/monitor/top",
		Query:  q,
		Header: h,
		Date:   docDate(t),
	}
	s := Sign(r, "AK123", "d75332c5eed8d440a84a35ac6248d397")

	wantSTS := "GET\n\napplication/json\nMon, 15 Apr 2024 09:25:02 GMT\n127.0.0.1:8080\nx-ocp-origin:for-test\n" +
		"/api/v2/monitor/top?endTime=2024-04-15T14%3A30%3A55%2B08%3A00&groupBy=app%2Csvr_ip%2Cdevice%2Cmount_point" +
		"&labels=svr_ip%3A127.0.0.1&maxPoints=360&metrics=host_disk_total&startTime=2024-04-15T14%3A29%3A55%2B08%3A00"
	if s.StringToSign != wantSTS {
		t.Errorf("string to sign:\n%q\nwant\n%q", s.StringToSign, wantSTS)
	}
	if s.Signature != "To11kg1EsB/dPWyDnnpuUzIUoQk=" {
		t.Errorf("signature = %s, want To11kg1EsB/dPWyDnnpuUzIUoQk=", s.Signature)
	}
	if got := s.Header.Get("Authorization"); got != "OCP-ACCESS-KEY-HMACSHA1 AK123:To11kg1EsB/dPWyDnnpuUzIUoQk=" {
		t.Errorf("Authorization = %q", got)
	}
	if got := s.Header.Get("Date"); got != "Mon, 15 Apr 2024 09:25:02 GMT" {
		t.Errorf("Date = %q", got)
	}
	if len(s.Header) != 2 {
		t.Errorf("headers to send = %v, want only Date and Authorization", s.Header)
	}
}

// A POST with a JSON body, a query and two x-ocp- headers, by the
// reference code's rules: the query RFC 3986-encoded (space %20, "~" kept,
// "*" %2A), header values untrimmed. The expected values were computed
// outside Go:
//
//	printf '%s' '{"force":true}' | openssl dgst -md5 -hex        # c3ac8013…56c2, upper-cased below
//	printf 'POST\nC3AC801330FABAD1083A4891696356C2\napplication/json\nMon, 15 Apr 2024 09:25:02 GMT\nocp.example:8080\nx-ocp-origin: obconsole \nx-ocp-request-id:req-7\n/api/v2/ob/clusters/12000001/servers/13000002/restart?force=true&note=a%%20b%%3Ac%%2Cd%%2Be~%%2A' \
//	  | openssl dgst -sha1 -hmac 'sk-3f9c2a7e' -binary | base64
//	6O+h13ID9Xoyki0pLDD9pj/u/rY=
func TestSignPostWithBodyQueryAndHeaders(t *testing.T) {
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("X-Ocp-Request-Id", "req-7") // canonicalised by Go, signed lower-case
	h["x-ocp-origin"] = []string{" obconsole "}
	h.Set("X-Other", "not signed")
	q := url.Values{}
	q.Set("note", "a b:c,d+e~*")
	q.Set("force", "true")
	r := SignRequest{
		Method: "post",
		Host:   "ocp.example:8080",
		Path:   "/api/v2/ob/clusters/12000001/servers/13000002/restart",
		Query:  q,
		Header: h,
		Body:   []byte(`{"force":true}`),
		Date:   docDate(t).In(time.FixedZone("CST", 8*3600)), // sent in GMT whatever the zone
	}
	s := Sign(r, "AK-test", "sk-3f9c2a7e")
	wantSTS := "POST\n" +
		"C3AC801330FABAD1083A4891696356C2\n" +
		"application/json\n" +
		"Mon, 15 Apr 2024 09:25:02 GMT\n" +
		"ocp.example:8080\n" +
		"x-ocp-origin: obconsole \n" +
		"x-ocp-request-id:req-7\n" +
		"/api/v2/ob/clusters/12000001/servers/13000002/restart?force=true&note=a%20b%3Ac%2Cd%2Be~%2A"
	if s.StringToSign != wantSTS {
		t.Errorf("string to sign:\n%q\nwant\n%q", s.StringToSign, wantSTS)
	}
	if s.Signature != "6O+h13ID9Xoyki0pLDD9pj/u/rY=" {
		t.Errorf("signature = %s, want 6O+h13ID9Xoyki0pLDD9pj/u/rY=", s.Signature)
	}
	if !VerifySignature(r, "sk-3f9c2a7e", "6O+h13ID9Xoyki0pLDD9pj/u/rY=") {
		t.Error("VerifySignature rejects the right signature")
	}
	if VerifySignature(r, "other-secret", "6O+h13ID9Xoyki0pLDD9pj/u/rY=") {
		t.Error("VerifySignature accepts a signature made with another secret")
	}
	// The newer page's sample code encodes with java.net.URLEncoder; a
	// server accepts that signature too, and no other.
	r.QueryEncoding = FormURL
	form := Sign(r, "AK-test", "sk-3f9c2a7e")
	if !strings.HasSuffix(form.StringToSign, "?force=true&note=a+b%3Ac%2Cd%2Be%7E*") || form.Signature == s.Signature {
		t.Errorf("URLEncoder string to sign %q", form.StringToSign)
	}
	r.QueryEncoding = RFC3986
	if !VerifySignature(r, "sk-3f9c2a7e", form.Signature) {
		t.Error("VerifySignature rejects a signature made by the newer page's sample code")
	}
	if VerifySignature(r, "sk-3f9c2a7e", "AAAA"+form.Signature[4:]) {
		t.Error("VerifySignature accepts a wrong signature")
	}
}

func TestStringToSignWithoutQueryBodyOrHeaders(t *testing.T) {
	got := StringToSign(SignRequest{Method: "GET", Host: "10.0.0.1", Path: "/api/v2/ob/clusters", Date: docDate(t)})
	want := "GET\n\n\nMon, 15 Apr 2024 09:25:02 GMT\n10.0.0.1\n\n/api/v2/ob/clusters"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSignChangesWithEveryPart(t *testing.T) {
	base := func() SignRequest {
		h := http.Header{}
		h.Set("Content-Type", "application/json")
		h.Set("X-Ocp-A", "1")
		return SignRequest{Method: "POST", Host: "h:1", Path: "/p", Query: url.Values{"k": {"v"}}, Header: h, Body: []byte("{}"), Date: docDate(t)}
	}
	ref := Sign(base(), "id", "secret").Signature
	mutations := map[string]func(*SignRequest){
		"method":       func(r *SignRequest) { r.Method = "GET" },
		"body":         func(r *SignRequest) { r.Body = []byte("{ }") },
		"content type": func(r *SignRequest) { r.Header.Set("Content-Type", "text/plain") },
		"date":         func(r *SignRequest) { r.Date = r.Date.Add(time.Second) },
		"host":         func(r *SignRequest) { r.Host = "h:2" },
		"ocp header":   func(r *SignRequest) { r.Header.Set("X-Ocp-A", "2") },
		"path":         func(r *SignRequest) { r.Path = "/q" },
		"query":        func(r *SignRequest) { r.Query = url.Values{"k": {"w"}} },
	}
	for name, mutate := range mutations {
		r := base()
		mutate(&r)
		if Sign(r, "id", "secret").Signature == ref {
			t.Errorf("changing the %s does not change the signature", name)
		}
	}
	r := base()
	r.Header.Set("X-Unrelated", "x")
	if Sign(r, "id", "secret").Signature != ref {
		t.Error("a header outside x-ocp-* changed the signature")
	}
}

func TestPercentEncode(t *testing.T) {
	cases := map[string]string{
		"":              "",
		"abcXYZ019.-_~": "abcXYZ019.-_~",
		"a b":           "a%20b",
		"a+b":           "a%2Bb",
		"*":             "%2A",
		":,/?&='!()":    "%3A%2C%2F%3F%26%3D%27%21%28%29",
		"é":             "%C3%A9",
		"日本":            "%E6%97%A5%E6%9C%AC",
		"\x00\x7f\xff":  "%00%7F%FF",
	}
	for in, want := range cases {
		if got := PercentEncode(in); got != want {
			t.Errorf("PercentEncode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFormURLEncode(t *testing.T) {
	cases := map[string]string{
		"":              "",
		"abcXYZ019.-*_": "abcXYZ019.-*_",
		"a b":           "a+b",
		"a+b":           "a%2Bb",
		":,/?&=~'!()":   "%3A%2C%2F%3F%26%3D%7E%27%21%28%29",
		"é":             "%C3%A9",
	}
	for in, want := range cases {
		if got := FormURLEncode(in); got != want {
			t.Errorf("FormURLEncode(%q) = %q, want %q", in, got, want)
		}
	}
}

// A repeated key is one entry: its non-empty values sorted and joined by
// "," before encoding; a key with only empty values signs as "key=". The
// x-ocp headers: prefix "x-ocp" in any case, sorted by name, values in the
// order sent. Computed outside Go:
//
//	printf 'GET\n\napplication/json\nMon, 15 Apr 2024 09:25:02 GMT\nh:1\nx-ocp-a:2,1\n/p?a=&b=1%%2C2' | openssl dgst -sha1 -hmac 's' -binary | base64
//	HobN66F+OwijbFKGETYQBz+kocA=
func TestRepeatedQueryKeysAreOneSortedEntry(t *testing.T) {
	if got, want := canonicalResource("/p", url.Values{"b": {"2", "", "1"}, "a": {""}}, RFC3986), "/p?a=&b=1%2C2"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := canonicalResource("/p", url.Values{"status": {"RUNNING", "FAILED"}}, RFC3986), "/p?status=FAILED%2CRUNNING"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := canonicalResource("/p", url.Values{}, RFC3986); got != "/p" {
		t.Errorf("no query: %q", got)
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h["X-Ocp-A"] = []string{"2", "1"}
	r := SignRequest{Method: "GET", Host: "h:1", Path: "/p", Query: url.Values{"b": {"2", "1"}, "a": {""}}, Header: h, Date: docDate(t)}
	if s := Sign(r, "id", "s"); s.Signature != "HobN66F+OwijbFKGETYQBz+kocA=" {
		t.Errorf("signature %s for %q", s.Signature, s.StringToSign)
	}
}

func TestOCPHeaderSelectionAndOrder(t *testing.T) {
	h := http.Header{}
	h["x-ocp-a-b"] = []string{"2"}
	h["X-OCP-A"] = []string{"1"}
	h["X-Ocpish"] = []string{"also"} // the prefix is "x-ocp", no dash needed
	h["X-Ocp-Z"] = []string{" spaced ", "b,a"}
	h["Xocp"] = []string{"no"}
	want := "x-ocp-a:1\nx-ocp-a-b:2\nx-ocp-z: spaced ,b,a\nx-ocpish:also"
	if got := canonicalOCPHeaders(h); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	// Two spellings of one name merge, in a fixed order.
	h2 := http.Header{"x-ocp-m": {"2"}, "X-Ocp-M": {"1"}}
	for range 20 {
		if got := canonicalOCPHeaders(h2); got != "x-ocp-m:1,2" {
			t.Fatalf("merged header %q", got)
		}
	}
}

// The Date is signed as the text sent when there is one.
func TestSignDateText(t *testing.T) {
	r := SignRequest{Method: "GET", Host: "h", Path: "/p", Date: docDate(t), DateText: "Mon, 3 Jan 2010 08:33:47 GMT"}
	s := Sign(r, "id", "secret")
	if !strings.Contains(s.StringToSign, "\nMon, 3 Jan 2010 08:33:47 GMT\n") || s.Header.Get("Date") != "Mon, 3 Jan 2010 08:33:47 GMT" {
		t.Errorf("date text not used: %q %v", s.StringToSign, s.Header)
	}
	// A server that received that text verifies with it, whatever Date it parsed.
	srv := SignRequest{Method: "GET", Host: "h", Path: "/p", Header: http.Header{"Date": {"Mon, 3 Jan 2010 08:33:47 GMT"}},
		Date: time.Date(2010, 1, 3, 8, 33, 47, 0, time.UTC)}
	if !VerifySignature(srv, "secret", s.Signature) {
		t.Error("a one-digit day in the Date header is rejected")
	}
}

// Java's String order (UTF-16 code units) puts U+1F600 before U+FF01; Go's
// byte order puts it after.
func TestQueryKeysSortAsJava(t *testing.T) {
	got := canonicalResource("/p", url.Values{"\uff01": {"1"}, "\U0001F600": {"2"}, "a": {"3"}}, RFC3986)
	want := "/p?a=3&%F0%9F%98%80=2&%EF%BC%81=1"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestParseAuthorization(t *testing.T) {
	id, sig, ok := ParseAuthorization("OCP-ACCESS-KEY-HMACSHA1 AK123:To11kg1EsB/dPWyDnnpuUzIUoQk=")
	if !ok || id != "AK123" || sig != "To11kg1EsB/dPWyDnnpuUzIUoQk=" {
		t.Errorf("got %q %q %v", id, sig, ok)
	}
	for _, bad := range []string{"", "Basic YWRtaW46eA==", "OCP-ACCESS-KEY-HMACSHA1 AK123", "OCP-ACCESS-KEY-HMACSHA1 :sig", "OCP-ACCESS-KEY-HMACSHA1 id:"} {
		if _, _, ok := ParseAuthorization(bad); ok {
			t.Errorf("ParseAuthorization(%q) accepted", bad)
		}
	}
}
