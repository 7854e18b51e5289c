package embedded

import (
	"reflect"
	"strings"
	"sync"
)

// The members of the objects of a fleet file, as their tags name them:
// both readers (YAML nodes, plain JSON) fill them in by this one
// description, so a field added to FleetServer is read by both.

type memberKind uint8

const (
	memberText memberKind = iota
	memberInt             // a whole number
	memberBool
	memberList // of objects
)

type fleetMember struct {
	name  string
	index int
	kind  memberKind
}

var fleetMembersCache sync.Map // reflect.Type -> []fleetMember

// fleetMembers lists the members of a fleet object type (Fleet,
// FleetCluster, FleetZone, FleetServer).
func fleetMembers(t reflect.Type) []fleetMember {
	if v, ok := fleetMembersCache.Load(t); ok {
		return v.([]fleetMember)
	}
	var out []fleetMember
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		m := fleetMember{index: i}
		m.name, _, _ = strings.Cut(f.Tag.Get("yaml"), ",")
		switch f.Type.Kind() {
		case reflect.String:
			m.kind = memberText
		case reflect.Int, reflect.Int64:
			m.kind = memberInt
		case reflect.Bool:
			m.kind = memberBool
		case reflect.Slice:
			m.kind = memberList
		default:
			panic("fleet member " + f.Name + " of an unread kind")
		}
		out = append(out, m)
	}
	fleetMembersCache.Store(t, out)
	return out
}

// positioned is a fleet object that remembers the lines of its fields.
type positioned interface{ setPos(positions) }

func (c *FleetCluster) setPos(p positions) { c.pos = p }
func (z *FleetZone) setPos(p positions)    { z.pos = p }
func (s *FleetServer) setPos(p positions)  { s.pos = p }
