package ocp

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf16"
)

// AuthScheme is the Authorization scheme of AK/SK requests.
const AuthScheme = "OCP-ACCESS-KEY-HMACSHA1"

// MaxDateSkew is how far a signed request's Date may be from the server's
// clock before OCP rejects it.
const MaxDateSkew = 15 * time.Minute

// QueryEncoding is how query keys and values are percent-encoded in the
// string to sign. OCP's signing page has printed two reference codes that
// differ only here, and no worked example tells them apart (none has a
// space, "*" or "~" in its query).
type QueryEncoding int

const (
	// RFC3986 is the encoder of the reference code of the signing page of
	// OCP V4.0.3 to V4.2.2: A-Z a-z 0-9 - . _ ~ stay, every other UTF-8
	// byte is %XX (space %20, "*" %2A). It is what Sign uses by default.
	RFC3986 QueryEncoding = iota
	// FormURL is java.net.URLEncoder, which the sample code of the newer
	// signing page (after V4.2.2) calls: space is "+", "*" stays, "~" is
	// %7E.
	FormURL
)

// SignRequest is everything AK/SK signing reads from a request.
type SignRequest struct {
	Method string
	// Host is the host as sent: "ip:port" when the URL gives a port.
	Host string
	// Path is the request path as sent (escaped form), without the query.
	Path  string
	Query url.Values
	// Header supplies Content-Type and every x-ocp* header; others are
	// ignored. Names match case-insensitively.
	Header http.Header
	// Body is the request body; empty means no body.
	Body []byte
	// Date is sent in the Date header, formatted by FormatDate.
	Date time.Time
	// DateText, when set, is the Date header's text, signed and sent as it
	// is instead of formatting Date (a server signs the text it received:
	// "Mon, 3 Jan 2010 08:33:47 GMT" is as valid as "Mon, 03 Jan …").
	DateText string
	// QueryEncoding is the encoder of query keys and values (RFC3986 when
	// zero).
	QueryEncoding QueryEncoding
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

// Sign computes the AK/SK signature of r as the reference code of OCP's
// signing page does. It is a pure function: the same request, key and
// secret always give the same result.
func Sign(r SignRequest, accessKeyID, accessKeySecret string) Signed {
	sts := StringToSign(r)
	sig := hmacSHA1(accessKeySecret, sts)
	h := http.Header{}
	h.Set("Date", r.dateText())
	h.Set("Authorization", AuthScheme+" "+accessKeyID+":"+sig)
	return Signed{StringToSign: sts, Signature: sig, Header: h}
}

func hmacSHA1(secret, message string) string {
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write([]byte(message))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func (r SignRequest) dateText() string {
	if r.DateText != "" {
		return r.DateText
	}
	return FormatDate(r.Date)
}

// StringToSign builds the seven newline-joined parts: method, body MD5
// (upper-case hex, empty without a body), Content-Type, date, host, the
// x-ocp headers and the path with its canonical query.
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
		r.dateText(),
		r.Host,
		canonicalOCPHeaders(r.Header),
		canonicalResource(r.Path, r.Query, r.QueryEncoding),
	}
	return strings.Join(parts, "\n")
}

// canonicalOCPHeaders lists the headers whose name starts with "x-ocp"
// (any case, no dash required) as "name:value", the name lower-cased (Go
// canonicalises header names, OCP's examples write them lower-case),
// sorted by name and joined by "\n". The values of one header are joined by
// "," in the order sent, neither sorted nor trimmed: the reference code
// does so, and its Example 1 ("x-ocp-data:A,1") signs only that way.
func canonicalOCPHeaders(h http.Header) string {
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	sort.Strings(names) // so that two spellings of one name merge in a fixed order
	values := map[string][]string{}
	for _, name := range names {
		lower := strings.ToLower(name)
		if strings.HasPrefix(lower, "x-ocp") {
			values[lower] = append(values[lower], h[name]...)
		}
	}
	lines := make([]string, 0, len(values))
	for _, lower := range sortedJava(mapKeys(values)) {
		lines = append(lines, lower+":"+strings.Join(values[lower], ","))
	}
	return strings.Join(lines, "\n")
}

// canonicalResource is the path, then, when there is a query, "?" and one
// entry per key, sorted by key: the key's non-empty values sorted and
// joined by "," (a=2&a=1&a= signs as a=1%2C2), key and joined value each
// encoded, entries joined by "&". Sorting is Java's String order (UTF-16
// code units), as the reference code's.
func canonicalResource(path string, q url.Values, enc QueryEncoding) string {
	if len(q) == 0 {
		return path
	}
	encode := PercentEncode
	if enc == FormURL {
		encode = FormURLEncode
	}
	var b strings.Builder
	b.WriteString(path)
	b.WriteByte('?')
	for i, k := range sortedJava(mapKeys(q)) {
		var vs []string
		for _, v := range q[k] {
			if v != "" {
				vs = append(vs, v)
			}
		}
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(encode(k))
		b.WriteByte('=')
		b.WriteString(encode(strings.Join(sortedJava(vs), ",")))
	}
	return b.String()
}

func mapKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// sortedJava sorts s in place as Java's String.compareTo orders strings:
// by UTF-16 code units, which differs from Go's byte order for characters
// beyond U+FFFF against those from U+E000 to U+FFFF.
func sortedJava(s []string) []string {
	slices.SortFunc(s, func(a, b string) int {
		return slices.Compare(utf16.Encode([]rune(a)), utf16.Encode([]rune(b)))
	})
	return s
}

// PercentEncode encodes s as RFC 3986 wants a query component, as the
// signing reference code does: letters, digits and "-._~" stay, every
// other UTF-8 byte is %XX in upper-case hex (space %20, "*" %2A, "+" %2B).
func PercentEncode(s string) string { return escape(s, "-._~", false) }

// FormURLEncode encodes s like java.net.URLEncoder with UTF-8: letters,
// digits and ".-*_" stay, space becomes "+", every other byte is %XX in
// upper-case hex.
func FormURLEncode(s string) string { return escape(s, ".-*_", true) }

// escape keeps ASCII letters, digits and the bytes of keep, writes a
// space as "+" when plus says so, and every other byte as %XX.
func escape(s, keep string, plus bool) string {
	const upperHex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte(keep, c) >= 0:
			b.WriteByte(c)
		case c == ' ' && plus:
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&15])
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

// VerifySignature reports, in constant time per candidate, whether
// signature is r's signature under accessKeySecret. A server does not know
// which of the two documented reference codes a client followed, so it
// accepts either query encoding (both HMACs are over the request as sent,
// so neither admits a request the other would not have signed); it signs
// the Date header's text as received when r.Header has one.
func VerifySignature(r SignRequest, accessKeySecret, signature string) bool {
	if r.DateText == "" {
		r.DateText = r.Header.Get("Date")
	}
	ok := false
	for _, enc := range []QueryEncoding{RFC3986, FormURL} {
		r.QueryEncoding = enc
		want := hmacSHA1(accessKeySecret, StringToSign(r))
		if hmac.Equal([]byte(want), []byte(signature)) {
			ok = true
		}
	}
	return ok
}
