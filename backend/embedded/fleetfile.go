package embedded

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// LoadFleetFile reads a YAML or JSON fleet file (JSON is read as the YAML
// subset it is). Errors name the file, the line and the field.
func LoadFleetFile(path string) (*Fleet, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseFleet(data, filepath.Base(path))
}

// ParseFleet parses and checks a fleet document; name is used in errors.
// Unknown fields are refused: a typo must not silently become a default.
func ParseFleet(data []byte, name string) (*Fleet, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, syntaxError(name, err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, &FleetError{File: name, Line: 1, Msg: "the file is empty; it needs a clusters list"}
	}
	w := walker{file: name}
	f := &Fleet{}
	err := w.object(doc.Content[0], "", map[string]func(*yaml.Node, string) error{
		"clusters": func(n *yaml.Node, path string) error {
			f.Clusters = []FleetCluster{} // present, even if empty
			return w.list(n, path, func(n *yaml.Node, path string) error {
				c := FleetCluster{pos: positions{"": n.Line}}
				err := w.decodeCluster(n, path, &c)
				f.Clusters = append(f.Clusters, c)
				return err
			})
		},
	})
	if err != nil {
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
// puts it.
func syntaxError(file string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
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

type walker struct{ file string }

func (w walker) errf(n *yaml.Node, field, format string, args ...any) error {
	return &FleetError{File: w.file, Line: n.Line, Field: field, Msg: fmt.Sprintf(format, args...)}
}

func join(path, key string) string {
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
		return strconv.Quote(n.Value)
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

func (w walker) decodeCluster(n *yaml.Node, path string, c *FleetCluster) error {
	p := c.pos
	return w.object(n, path, map[string]func(*yaml.Node, string) error{
		"id":          w.integer(func(v int64) { c.ID = v }, p, "id"),
		"name":        w.str(&c.Name, p, "name"),
		"obClusterId": w.integer(func(v int64) { c.ObClusterID = v }, p, "obClusterId"),
		"version":     w.str(&c.Version, p, "version"),
		"type":        w.str(&c.Type, p, "type"),
		"status":      w.str(&c.Status, p, "status"),
		"tenantCount": w.integer(func(v int64) { c.TenantCount = int(v) }, p, "tenantCount"),
		"zones": func(n *yaml.Node, path string) error {
			p["zones"] = n.Line
			return w.list(n, path, func(n *yaml.Node, path string) error {
				z := FleetZone{pos: positions{"": n.Line}}
				err := w.decodeZone(n, path, &z)
				c.Zones = append(c.Zones, z)
				return err
			})
		},
	})
}

func (w walker) decodeZone(n *yaml.Node, path string, z *FleetZone) error {
	p := z.pos
	return w.object(n, path, map[string]func(*yaml.Node, string) error{
		"name":   w.str(&z.Name, p, "name"),
		"region": w.str(&z.Region, p, "region"),
		"idc":    w.str(&z.IDC, p, "idc"),
		"status": w.str(&z.Status, p, "status"),
		"servers": func(n *yaml.Node, path string) error {
			p["servers"] = n.Line
			return w.list(n, path, func(n *yaml.Node, path string) error {
				s := FleetServer{pos: positions{"": n.Line}}
				err := w.decodeServer(n, path, &s)
				z.Servers = append(z.Servers, s)
				return err
			})
		},
	})
}

func (w walker) decodeServer(n *yaml.Node, path string, s *FleetServer) error {
	p := s.pos
	port := func(dst *int) func(int64) {
		// normalize checks the range and reports it with this field's line.
		return func(v int64) { *dst = int(v) }
	}
	return w.object(n, path, map[string]func(*yaml.Node, string) error{
		"id":         w.integer(func(v int64) { s.ID = v }, p, "id"),
		"ip":         w.str(&s.IP, p, "ip"),
		"port":       w.integer(port(&s.Port), p, "port"),
		"sqlPort":    w.integer(port(&s.SQLPort), p, "sqlPort"),
		"version":    w.str(&s.Version, p, "version"),
		"status":     w.str(&s.Status, p, "status"),
		"rootServer": w.boolean(&s.RootServer, p, "rootServer"),
		"scenario":   w.str(&s.Scenario, p, "scenario"),
	})
}

// errFleetConflict is returned when both a fleet and a fleet file are given.
var errFleetConflict = errors.New("give either Options.Fleet or Options.FleetFile, not both")
