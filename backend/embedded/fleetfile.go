package embedded

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/obconsole/obconsole/backend/safetext"
)

// Limits on a fleet file, so that a hostile or mistaken one (an alias bomb,
// /dev/zero, a FIFO, a huge name) is refused with a message instead of
// exhausting memory or hanging. A generated fleet of 100,000 servers is
// about 5 MB of JSON and 0.7 million values, well inside them.
const (
	// MaxFleetFileBytes is the largest fleet file read: 8 MiB.
	MaxFleetFileBytes = 8 << 20
	// MaxFleetValues is the most values (mappings, lists, scalars, keys
	// included) a fleet document may hold once its YAML aliases are
	// expanded.
	MaxFleetValues = 4_000_000
	// MaxFleetDepth is how deeply values may nest, aliases expanded; a
	// fleet needs 9 levels (the document itself is the first).
	MaxFleetDepth = 64
)

// LoadFleetFile reads a YAML or JSON fleet file (JSON is read as the YAML
// subset it is). Errors name the file, the line and the field. Only a
// regular file of at most MaxFleetFileBytes is read.
func LoadFleetFile(path string) (*Fleet, error) {
	data, err := readFleetFile(path)
	if err != nil {
		return nil, err
	}
	return ParseFleet(data, filepath.Base(path))
}

// readFleetFile reads path when it is a regular file of bounded size. The
// kind is checked before opening (opening a FIFO blocks until a writer
// comes) and again on the opened file (the path may have been swapped in
// between; O_NONBLOCK keeps even that open from hanging).
func readFleetFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := regularFile(path, st); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := regularFile(path, st); err != nil {
		return nil, err
	}
	data, err := readAtMost(f, MaxFleetFileBytes)
	if err != nil {
		return nil, &FleetError{File: path, Msg: err.Error()}
	}
	return data, nil
}

// errFleetTooLarge is the size limit's message.
var errFleetTooLarge = fmt.Errorf("larger than the limit of %d MiB for a fleet file", MaxFleetFileBytes>>20)

// readAtMost reads r to its end, refusing more than limit bytes: the
// reading stops there, so an endless source cannot exhaust memory.
func readAtMost(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, errFleetTooLarge
	}
	return data, nil
}

// regularFile refuses anything but a regular file of at most
// MaxFleetFileBytes, saying what it is instead.
func regularFile(path string, st fs.FileInfo) error {
	m := st.Mode()
	if m.IsRegular() {
		if st.Size() > MaxFleetFileBytes {
			return &FleetError{File: path, Msg: fmt.Sprintf("%d bytes is %v", st.Size(), errFleetTooLarge)}
		}
		return nil
	}
	what := "not a regular file"
	switch {
	case m.IsDir():
		what = "a directory"
	case m&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		what = "a socket"
	case m&fs.ModeDevice != 0:
		what = "a device"
	}
	return &FleetError{File: path, Msg: "is " + what + ", not a regular file; a fleet file is a YAML or JSON file"}
}

// ParseFleet parses and checks a fleet document; name is used in errors.
// Unknown fields are refused: a typo must not silently become a default.
// The document is parsed into YAML nodes first and measured (aliases
// expanded) before anything is decoded from it.
func ParseFleet(data []byte, name string) (*Fleet, error) {
	if len(data) > MaxFleetFileBytes {
		return nil, &FleetError{File: name, Msg: fmt.Sprintf("%d bytes is %v", len(data), errFleetTooLarge)}
	}
	if f, ok := fleetFromJSON(data); ok && f.normalize(name) == nil {
		return f, nil
	}
	// YAML, or JSON with something to say about it: read through YAML
	// nodes, which know every value's line.
	return parseFleetYAML(data, name)
}

// parseFleetYAML is ParseFleet through YAML nodes.
func parseFleetYAML(data []byte, name string) (*Fleet, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, syntaxError(name, err)
	}
	if err := measureFleet(&doc, name); err != nil {
		return nil, err
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, &FleetError{File: name, Line: 1, Msg: "the file is empty; it needs a clusters list"}
	}
	w := walker{file: name}
	f := &Fleet{}
	if err := w.decode(doc.Content[0], "", reflect.ValueOf(f).Elem(), nil); err != nil {
		return nil, err
	}
	if f.Clusters == nil {
		return nil, &FleetError{File: name, Line: doc.Content[0].Line, Field: "clusters", Msg: "missing; the file needs a clusters list"}
	}
	if err := f.normalize(name); err != nil {
		return nil, err
	}
	return f, nil
}

var yamlLine = regexp.MustCompile(`^line (\d+): `)

// parserProblems are the messages of the YAML parser proper. For these
// the library reports the 0-based line of the enclosing collection (it
// adds one only for scanner errors), so one is added here.
var parserProblems = []string{
	"did not find expected <", "did not find expected node content", "did not find expected '-' indicator",
	"did not find expected key", "did not find expected ',' or", "found duplicate %", "found incompatible YAML document",
	"found undefined tag handle",
}

// syntaxError keeps the parser's words but puts the line where FleetError
// puts it. The parser may quote the input (an unknown anchor's name), so
// its message is made safe and cut short.
func syntaxError(file string, err error) error {
	msg := shortMessage(strings.TrimPrefix(err.Error(), "yaml: "))
	fe := &FleetError{File: file, Msg: msg}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		fe.Line, _ = strconv.Atoi(m[1])
		fe.Msg = msg[len(m[0]):]
	}
	for _, p := range parserProblems {
		if strings.HasPrefix(fe.Msg, p) {
			fe.Line++
			break
		}
	}
	if fe.Line == 0 {
		fe.Line = 1
	}
	return fe
}

// maxMessage is how many runes of a parser's message are kept.
const maxMessage = 4 * safetext.MaxExcerpt

// shortMessage is msg made safe and cut to maxMessage runes.
func shortMessage(msg string) string {
	runes := 0
	for i := range msg {
		if runes == maxMessage {
			return safetext.Line(msg[:i]) + fmt.Sprintf("… (%d bytes)", len(msg))
		}
		runes++
	}
	return safetext.Line(msg)
}

// measurer bounds a document's size and depth with its aliases expanded,
// without expanding them: the size of an anchored value is computed once
// and reused at every alias to it, so a "billion laughs" document costs
// time in proportion to its text.
type measurer struct {
	file   string
	sizes  map[*yaml.Node]shape // anchored values measured so far
	inside map[*yaml.Node]bool  // anchored values being measured
}

type shape struct{ values, height int }

func measureFleet(doc *yaml.Node, file string) error {
	m := measurer{file: file, sizes: map[*yaml.Node]shape{}, inside: map[*yaml.Node]bool{}}
	_, err := m.measure(doc, 0)
	return err
}

func (m *measurer) errf(n *yaml.Node, format string, args ...any) error {
	return &FleetError{File: m.file, Line: max(n.Line, 1), Msg: fmt.Sprintf(format, args...)}
}

func (m *measurer) tooDeep(n *yaml.Node) error {
	return m.errf(n, "values nest more than %d levels deep (YAML aliases expanded); a fleet needs 9", MaxFleetDepth)
}

// measure returns n's shape (aliases expanded) at the given depth, or an
// error once a limit is passed. Recursion never goes deeper than
// MaxFleetDepth.
func (m *measurer) measure(n *yaml.Node, depth int) (shape, error) {
	if depth > MaxFleetDepth {
		return shape{}, m.tooDeep(n)
	}
	if n.Kind == yaml.AliasNode {
		t := n.Alias
		if t == nil {
			return shape{values: 1, height: 1}, nil
		}
		if m.inside[t] {
			return shape{}, m.errf(n, "alias *%s refers to a value that contains it", safetext.Excerpt(n.Value))
		}
		if s, ok := m.sizes[t]; ok {
			if depth+s.height-1 > MaxFleetDepth {
				return shape{}, m.tooDeep(n)
			}
			return s, nil
		}
		return m.measure(t, depth)
	}
	anchored := n.Anchor != ""
	if anchored {
		m.inside[n] = true
		defer delete(m.inside, n)
	}
	s := shape{values: 1, height: 1}
	for _, c := range n.Content {
		cs, err := m.measure(c, depth+1)
		if err != nil {
			return shape{}, err
		}
		s.values += cs.values
		s.height = max(s.height, cs.height+1)
		if s.values > MaxFleetValues {
			return shape{}, m.errf(n, "more than %d values (YAML aliases expanded); a fleet file is refused beyond that", MaxFleetValues)
		}
	}
	if anchored {
		m.sizes[n] = s
	}
	return s, nil
}

type walker struct{ file string }

func (w walker) errf(n *yaml.Node, field, format string, args ...any) error {
	return &FleetError{File: w.file, Line: n.Line, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// join appends a key from the file to a field path; a key that is long or
// holds control characters is quoted as an excerpt.
func join(path, key string) string {
	if !safetext.IsSafe(key) || utf8.RuneCountInString(key) > safetext.MaxExcerpt || strings.ContainsAny(key, ".[] ") {
		key = safetext.Excerpt(key)
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// object walks a mapping, handing each known key's value to its handler.
func (w walker) object(n *yaml.Node, path string, fields map[string]func(*yaml.Node, string) error) error {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		return w.errf(n, path, "want a mapping of fields, got %s", describe(n))
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		if first, dup := seen[k.Value]; dup {
			return w.errf(k, join(path, k.Value), "given twice (first on line %d)", first)
		}
		seen[k.Value] = k.Line
		h, ok := fields[k.Value]
		if !ok {
			known := make([]string, 0, len(fields))
			for name := range fields {
				known = append(known, name)
			}
			slices.Sort(known)
			return w.errf(k, join(path, k.Value), "unknown field; known fields here: %s", strings.Join(known, ", "))
		}
		if err := h(v, join(path, k.Value)); err != nil {
			return err
		}
	}
	return nil
}

func (w walker) list(n *yaml.Node, path string, each func(*yaml.Node, string) error) error {
	if n.Kind != yaml.SequenceNode {
		return w.errf(n, path, "want a list, got %s", describe(n))
	}
	for i, item := range n.Content {
		if err := each(resolve(item), fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return err
		}
	}
	return nil
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return safetext.Excerpt(n.Value)
	}
	return "something else"
}

// str, integer and boolean decode scalar fields and record their line.
func (w walker) str(dst *string, pos positions, key string) func(*yaml.Node, string) error {
	return func(n *yaml.Node, path string) error {
		pos[key] = n.Line
		if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
			return w.errf(n, path, "want text, got %s", describe(n))
		}
		*dst = n.Value
		return nil
	}
}

func (w walker) integer(set func(int64), pos positions, key string) func(*yaml.Node, string) error {
	return func(n *yaml.Node, path string) error {
		pos[key] = n.Line
		var v int64
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Decode(&v) != nil {
			return w.errf(n, path, "want a whole number, got %s", describe(n))
		}
		set(v)
		return nil
	}
}

func (w walker) boolean(dst *bool, pos positions, key string) func(*yaml.Node, string) error {
	return func(n *yaml.Node, path string) error {
		pos[key] = n.Line
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" || n.Decode(dst) != nil {
			return w.errf(n, path, "want true or false, got %s", describe(n))
		}
		return nil
	}
}

// decode fills the fleet object v from the mapping n, each member by
// its kind, recording its line in pos (nil for the document itself). A
// list is present once given, even empty.
func (w walker) decode(n *yaml.Node, path string, v reflect.Value, pos positions) error {
	at := func(key string, line int) {
		if pos != nil {
			pos[key] = line
		}
	}
	members := fleetMembers(v.Type())
	fields := make(map[string]func(*yaml.Node, string) error, len(members))
	for _, m := range members {
		f, key := v.Field(m.index), m.name
		switch m.kind {
		case memberText:
			fields[key] = w.str(f.Addr().Interface().(*string), pos, key)
		case memberInt:
			fields[key] = w.integer(f.SetInt, pos, key)
		case memberBool:
			fields[key] = w.boolean(f.Addr().Interface().(*bool), pos, key)
		case memberList:
			fields[key] = func(n *yaml.Node, path string) error {
				at(key, n.Line)
				f.Set(reflect.MakeSlice(f.Type(), 0, 0))
				return w.list(n, path, func(n *yaml.Node, path string) error {
					item := reflect.New(f.Type().Elem()).Elem()
					p := positions{"": n.Line}
					item.Addr().Interface().(positioned).setPos(p)
					err := w.decode(n, path, item, p)
					f.Set(reflect.Append(f, item))
					return err
				})
			}
		}
	}
	return w.object(n, path, fields)
}

// errFleetConflict is returned when more than one fleet is given.
var errFleetConflict = errors.New("give one of Options.Fleet, Options.FleetFile and Options.Generate, not more")
