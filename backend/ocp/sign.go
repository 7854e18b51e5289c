package ocp

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// AuthScheme is the Authorization scheme of AK/SK requests.
const AuthScheme = "OCP-ACCESS-KEY-HMACSHA1"

// MaxDateSkew is how far a signed request's Date may be from the server's
// clock before OCP rejects it.
const MaxDateSkew = 15 * time.Minute

// SignRequest is everything AK/SK signing reads from a request.
type SignRequest struct {
	Method string
	// Host is the host as sent: "ip:port" when the URL gives a port.
	Host string
	// Path is the request path as sent (escaped form), without the query.
	Path  string
	Query url.Values
	// Header supplies Content-Type and every x-ocp-* header; others are
	// ignored. Names match case-insensitively.
	Header http.Header
	// Body is the request body; empty means no body.
	Body []byte
	// Date is sent in the Date header, formatted by FormatDate.
	Date time.Time
}

// Signed is the result of Sign.
type Signed struct {
	StringToSign string
	Signature    string // base64(HMAC-SHA1(secret, StringToSign))
	// Header holds the headers to send: Date and Authorization.
	Header http.Header
}

// FormatDate writes t as OCP wants it in the Date header: RFC 1123 in GMT.
func FormatDate(t time.Time) string { return t.UTC().Format(http.TimeFormat) }

// Sign computes the AK/SK signature of r as OCP-API.md describes. It is a
// pure function: the same request, key and secret always give the same
// result.
func Sign(r SignRequest, accessKeyID, accessKeySecret string) Signed {
	sts := StringToSign(r)
	mac := hmac.New(sha1.New, []byte(accessKeySecret))
	mac.Write([]byte(sts))
	sig := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	h := http.Header{}
	h.Set("Date", FormatDate(r.Date))
	h.Set("Authorization", AuthScheme+" "+accessKeyID+":"+sig)
	return Signed{StringToSign: sts, Signature: sig, Header: h}
}

// StringToSign builds the seven newline-joined parts: method, body MD5
// (upper-case hex, empty without a body), Content-Type, date, host, the
// x-ocp-* headers and the path with its sorted query.
func StringToSign(r SignRequest) string {
	var bodyMD5 string
	if len(r.Body) > 0 {
		sum := md5.Sum(r.Body)
		bodyMD5 = strings.ToUpper(hex.EncodeToString(sum[:]))
	}
	parts := []string{
		strings.ToUpper(r.Method),
		bodyMD5,
		r.Header.Get("Content-Type"),
		FormatDate(r.Date),
		r.Host,
		canonicalOCPHeaders(r.Header),
		canonicalResource(r.Path, r.Query),
	}
	return strings.Join(parts, "\n")
}

// canonicalOCPHeaders lists x-ocp-* headers as lower-case "name:value",
// sorted by name and joined by "\n". Several values of one header are
// joined by ",".
func canonicalOCPHeaders(h http.Header) string {
	var lines []string
	for name, values := range h {
		lower := strings.ToLower(name)
		if !strings.HasPrefix(lower, "x-ocp-") {
			continue
		}
		trimmed := make([]string, len(values))
		for i, v := range values {
			trimmed[i] = strings.TrimSpace(v)
		}
		lines = append(lines, lower+":"+strings.Join(trimmed, ","))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// canonicalResource is the path, plus "?" and the query sorted by key
// (values of one key in the order given), each pair encoded with Java's
// URLEncoder rules.
func canonicalResource(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(path)
	b.WriteByte('?')
	first := true
	for _, k := range keys {
		vs := q[k]
		if len(vs) == 0 {
			vs = []string{""}
		}
		for _, v := range vs {
			if !first {
				b.WriteByte('&')
			}
			first = false
			b.WriteString(JavaURLEncode(k))
			b.WriteByte('=')
			b.WriteString(JavaURLEncode(v))
		}
	}
	return b.String()
}

// JavaURLEncode encodes s like java.net.URLEncoder with UTF-8: letters,
// digits and ".-*_" stay, space becomes "+", every other byte is %XX in
// upper-case hex.
func JavaURLEncode(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '.', c == '-', c == '*', c == '_':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}

// ParseAuthorization splits an AK/SK Authorization header into the access
// key id and the signature; ok is false for any other scheme or shape.
func ParseAuthorization(v string) (accessKeyID, signature string, ok bool) {
	scheme, rest, found := strings.Cut(strings.TrimSpace(v), " ")
	if !found || !strings.EqualFold(scheme, AuthScheme) {
		return "", "", false
	}
	id, sig, found := strings.Cut(strings.TrimSpace(rest), ":")
	if !found || id == "" || sig == "" {
		return "", "", false
	}
	return id, sig, true
}

// VerifySignature reports, in constant time, whether signature is r's
// signature under accessKeySecret.
func VerifySignature(r SignRequest, accessKeySecret, signature string) bool {
	want := Sign(r, "", accessKeySecret).Signature
	return hmac.Equal([]byte(want), []byte(signature))
}
