package ocpserver_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/ocpserver"
	"github.com/obconsole/obconsole/backend/remote"
)

// A client written from OCP's signing page (its Java reference code,
// oceanbase/ocp-doc V4.2.2 300.ak-sk-sign-roles.md), independent of
// ocp.Sign, signs GETs whose queries hold spaces, "~", "*", non-ASCII
// and repeated keys; serve accepts every one. And obconsole's own
// requests pass a server that verifies with that same reference code.

// docGenerator is ExampleTest.generator: the seven-line message and its
// HMAC-SHA1, base64.
func docGenerator(sk, method string, body []byte, contentType, date, host string, xOcp map[string][]string, path string, params map[string][]string) string {
	message := strings.Join([]string{method, docMD5(body), contentType, date, host, docXOcpHeader(xOcp), docURLAndParam(path, params)}, "\n")
	mac := hmac.New(sha1.New, []byte(sk))
	mac.Write([]byte(message))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// docURLAndParam is buildUrlAndParam: keys sorted, each key's non-empty
// values sorted and joined by ",", key and value encoded.
func docURLAndParam(path string, params map[string][]string) string {
	if len(params) == 0 {
		return path
	}
	var entries []string
	for _, k := range javaSorted(keysOf(params)) {
		var vs []string
		for _, v := range params[k] {
			if v != "" {
				vs = append(vs, v)
			}
		}
		entries = append(entries, docEncoder(k)+"="+docEncoder(strings.Join(javaSorted(vs), ",")))
	}
	return path + "?" + strings.Join(entries, "&")
}

// docXOcpHeader is buildXOcpHeader: keys starting with "x-ocp" (any
// case), sorted, values joined by "," as given.
func docXOcpHeader(headers map[string][]string) string {
	var lines []string
	for _, k := range javaSorted(keysOf(headers)) {
		if strings.HasPrefix(strings.ToLower(k), "x-ocp") {
			lines = append(lines, k+":"+strings.Join(headers[k], ","))
		}
	}
	return strings.Join(lines, "\n")
}

// docMD5 is md5Crypt: upper-case hex padded to 32, nothing for no body.
func docMD5(body []byte) string {
	if len(body) == 0 {
		return ""
	}
	return fmt.Sprintf("%032X", md5.Sum(body))
}

// docEncoder is the page's encoder: A-Z a-z 0-9 - . _ ~ stay, every other
// UTF-8 byte is %XX.
func docEncoder(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func keysOf(m map[string][]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// javaSorted orders as String.compareTo: by UTF-16 code units.
func javaSorted(s []string) []string {
	slices.SortFunc(s, func(a, b string) int { return slices.Compare(utf16.Encode([]rune(a)), utf16.Encode([]rune(b))) })
	return s
}

// docQuery is one query as the documentation's client holds it: keys with
// their values, repeated keys as several values.
type docQuery struct {
	keys   []string
	values [][]string
}

func (q docQuery) params() map[string][]string {
	m := map[string][]string{}
	for i, k := range q.keys {
		m[k] = append(m[k], q.values[i]...)
	}
	return m
}

// raw is the query on the wire: every value its own k=v, percent-encoded.
func (q docQuery) raw() string {
	var parts []string
	for i, k := range q.keys {
		for _, v := range q.values[i] {
			parts = append(parts, docEncoder(k)+"="+docEncoder(v))
		}
	}
	return strings.Join(parts, "&")
}

func TestDocumentationSigningClientAgainstServe(t *testing.T) {
	const ak, sk = "AK-doc", "2fc0c299cc94c6be266f2ceece765d4d"
	f := newFixture(t, ocpserver.Config{AccessKeys: map[string]string{ak: sk}})
	for _, s := range []int64{13000001, 13000002, 13000003} {
		if _, err := f.ex.RestartServer(t.Context(), embedded.DemoPrimaryClusterID, s, backend.RestartOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	tasks := "/api/v2/tasks/instances"
	cases := []struct {
		path  string
		query docQuery
		n     int // tasks (or clusters) listed
	}{
		{tasks, docQuery{[]string{"name", "status", "status"}, [][]string{{"Restart OB server"}, {"RUNNING"}, {"FAILED"}}}, 3},
		{tasks, docQuery{[]string{"status", "status", "status"}, [][]string{{"FAILED"}, {""}, {"RUNNING"}}}, 3},
		{tasks, docQuery{[]string{"status", "name"}, [][]string{{"FAILED,SUCCESSFUL"}, {"Restart"}}}, 0},
		{tasks, docQuery{[]string{"name"}, [][]string{{"OB~server"}}}, 0},
		{tasks, docQuery{[]string{"name"}, [][]string{{"Restart*"}}}, 0},
		{tasks, docQuery{[]string{"name", "size"}, [][]string{{"重启 OB 服务器"}, {"100"}}}, 0},
		{tasks, docQuery{[]string{"name", "clusterId", "page"}, [][]string{{"restart ob"}, {"12000001"}, {"1"}}}, 3},
		{tasks, docQuery{[]string{"a b", "~*", "é"}, [][]string{{"1 + 1 = 2"}, {"x~y*z", "a,b"}, {""}}}, 3},
		{"/api/v2/ob/clusters", docQuery{[]string{"name", "status", "status"}, [][]string{{"to ss"}, {"RUNNING"}, {"STOPPED"}}}, 0},
		{"/api/v2/ob/clusters", docQuery{[]string{"name"}, [][]string{{"protoss"}}}, 1},
	}
	date := ocp.FormatDate(f.wall)
	for _, c := range cases {
		req, err := http.NewRequest("GET", f.srv.URL+c.path+"?"+c.query.raw(), nil)
		if err != nil {
			t.Fatal(err)
		}
		// As the page's Example 2: Content-Type with a charset, no body;
		// and an x-ocp header with two values as Example 1.
		xOcp := map[string][]string{"x-ocp-data": {"A", "1"}, "x-ocp-origin": {"doc client"}}
		req.Header.Set("Content-Type", "application/json;charset=utf-8")
		req.Header.Set("Date", date)
		for k, v := range xOcp {
			req.Header[k] = v
		}
		sig := docGenerator(sk, "GET", nil, "application/json;charset=utf-8", date, req.URL.Host, xOcp, c.path, c.query.params())
		req.Header.Set("Authorization", "OCP-ACCESS-KEY-HMACSHA1 "+ak+":"+sig)
		r := f.do(req)
		if r.HTTP != 200 {
			t.Errorf("GET %s?%s signed per the documentation: HTTP %d %+v", c.path, c.query.raw(), r.HTTP, r.Error)
			continue
		}
		if n := len(decode[ocp.List[ocp.Task]](t, r).Contents); n != c.n {
			t.Errorf("GET %s?%s: %d listed, want %d", c.path, c.query.raw(), n, c.n)
		}
	}
}

// docVerifier stands in front of serve as an OCP that verifies with the
// page's reference code, and nothing else, would: lower-cased x-ocp
// header names (Go canonicalises them), the query as the servlet hands
// it over.
func docVerifier(ak, sk string, next http.Handler, refused *[]string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		xOcp := map[string][]string{}
		for k, v := range r.Header {
			if strings.HasPrefix(strings.ToLower(k), "x-ocp") {
				xOcp[strings.ToLower(k)] = v
			}
		}
		want := docGenerator(sk, r.Method, body, r.Header.Get("Content-Type"), r.Header.Get("Date"), r.Host, xOcp, r.URL.EscapedPath(), r.URL.Query())
		if r.Header.Get("Authorization") != "OCP-ACCESS-KEY-HMACSHA1 "+ak+":"+want {
			*refused = append(*refused, r.Method+" "+r.URL.String())
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func TestObconsoleSignsAsTheDocumentationVerifies(t *testing.T) {
	const ak, sk = "AK-doc", "2fc0c299cc94c6be266f2ceece765d4d"
	ex, err := embedded.New(embedded.Options{Clock: embedded.NewFakeClock(start)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ex.Close)
	var refused []string
	srv := httptest.NewServer(docVerifier(ak, sk, ocpserver.New(ocpserver.Config{Executor: ex, AccessKeys: map[string]string{ak: sk}}), &refused))
	t.Cleanup(srv.Close)
	var debug bytes.Buffer
	c, err := remote.New(remote.Config{BaseURL: srv.URL, Auth: remote.AuthAKSK, AccessKeyID: ak, AccessKeySecret: sk, DebugHTTP: &debug})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	task, err := c.RestartServer(t.Context(), embedded.DemoPrimaryClusterID, 13000001, backend.RestartOptions{FreezeServer: true})
	if err != nil {
		t.Fatalf("restart: %v", err)
	}
	if task.Context.Get("freeze_server") != "true" {
		t.Errorf("freezeServer did not reach the engine: context %v", task.Context)
	}
	for _, name := range []string{"Restart OB server", "OB~server", "Restart*", "重启 OB 服务器", "a+b=c&d"} {
		got, err := c.ListTasks(t.Context(), backend.TaskFilter{Name: name, Status: []ocp.TaskStatus{ocp.TaskRunning, ocp.TaskFailed}})
		if err != nil {
			t.Errorf("tasks named %q: %v", name, err)
			continue
		}
		if want := strings.Contains("Restart OB server", name); (len(got) == 1) != want {
			t.Errorf("tasks named %q: %d", name, len(got))
		}
	}
	if _, err := c.ListZones(t.Context(), embedded.DemoPrimaryClusterID); err != nil {
		t.Error(err)
	}
	if len(refused) != 0 {
		t.Errorf("the reference code refused %v", refused)
	}
	if strings.Contains(debug.String(), "form-url") {
		t.Errorf("obconsole fell back to the other encoding:\n%s", debug.String())
	}
}
