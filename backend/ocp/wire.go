package ocp

import "reflect"

// wireMeta is what every tolerantly decoded object carries besides its
// fields: the members it does not model (Extra, kept so that nothing is
// lost when it is encoded again) and the shape it arrived in. Each type
// embeds it; Extra is promoted, so s.Extra reads as a field of the type.
type wireMeta struct {
	Extra Extra `json:"-"`
	shape *wireShape
}

func (m *wireMeta) meta() *wireMeta { return m }

// wired is a pointer to a method-less copy of a type that embeds
// wireMeta (type serverWire Server): what encoding/json reads and writes
// without calling the type's own UnmarshalJSON and MarshalJSON again.
type wired[P any] interface {
	*P
	meta() *wireMeta
}

// decodeWire decodes the JSON object b into *dst: the members it models,
// the others into Extra, and the shape it arrived in. aliases are members
// the caller reads itself, which are not Extra. decoded is false, and
// *dst untouched, for null and on error.
func decodeWire[P any, PP wired[P]](b []byte, dst PP, aliases ...*alias) (decoded bool, err error) {
	if isNull(b) {
		return false, nil
	}
	// A zero *dst (a fresh item of a list) is decoded in place, and left
	// zero by an error; anything else is decoded aside, so that an error
	// leaves it untouched.
	if reflect.ValueOf(dst).Elem().IsZero() {
		return decodeAside(b, dst, aliases)
	}
	var p P
	if ok, err := decodeAside(b, PP(&p), aliases); !ok {
		return false, err
	}
	*dst = p
	return true, nil
}

// decodeAside decodes b into the zero *p, by the fast path when it can;
// an error leaves *p zero.
func decodeAside[P any, PP wired[P]](b []byte, p PP, aliases []*alias) (bool, error) {
	v := reflect.ValueOf(p).Elem()
	m := p.meta()
	if extra, sh, ok := decodeFast(b, v, wireTypeOf(v.Type()), aliases); ok {
		m.Extra, m.shape = extra, sh
		return true, nil
	}
	v.SetZero()
	if err := decodeGeneral(b, p, aliases); err != nil {
		v.SetZero()
		return false, err
	}
	return true, nil
}

// decodeGeneral is the general path of decodeAside.
func decodeGeneral[P any, PP wired[P]](b []byte, p PP, aliases []*alias) error {
	raw, err := decodeObject(b, p)
	if err != nil {
		return err
	}
	names := make([]string, len(aliases))
	for i, a := range aliases {
		names[i], a.raw = a.name, raw[a.name]
	}
	m := p.meta()
	m.Extra = collectExtra(raw, p, names...)
	m.shape = shapeOf(raw, p)
	return nil
}

// decodeInto is decodeWire for a type with no aliases of its own.
func decodeInto[P any, PP wired[P]](b []byte, dst PP) error {
	_, err := decodeWire(b, dst)
	return err
}

// encodeWire encodes p in the shape it arrived in, its Extra members
// appended, and the members named in drop left out.
func encodeWire[P any, PP wired[P]](p P, drop map[string]bool) ([]byte, error) {
	m := PP(&p).meta()
	return encodeShaped(reflect.ValueOf(&p).Elem(), m.Extra, m.shape, drop)
}

// The wire types: each type that decodes no variation of its own, without
// its methods, and the methods that read and write it through them.
type (
	clusterWire     Cluster
	zoneWire        Zone
	serverWire      Server
	taskClusterWire TaskCluster
	taskTenantWire  TaskTenant
	apiErrorWire    APIError
	subErrorWire    SubError
)

func (c *Cluster) UnmarshalJSON(b []byte) error     { return decodeInto(b, (*clusterWire)(c)) } // an item of the cluster list
func (c Cluster) MarshalJSON() ([]byte, error)      { return encodeWire(clusterWire(c), nil) }
func (z *Zone) UnmarshalJSON(b []byte) error        { return decodeInto(b, (*zoneWire)(z)) } // of the zone list, or of a cluster
func (z Zone) MarshalJSON() ([]byte, error)         { return encodeWire(zoneWire(z), nil) }
func (s *Server) UnmarshalJSON(b []byte) error      { return decodeInto(b, (*serverWire)(s)) } // of the server lists, or of a zone
func (s Server) MarshalJSON() ([]byte, error)       { return encodeWire(serverWire(s), nil) }
func (c *TaskCluster) UnmarshalJSON(b []byte) error { return decodeInto(b, (*taskClusterWire)(c)) } // a task's cluster object
func (c TaskCluster) MarshalJSON() ([]byte, error)  { return encodeWire(taskClusterWire(c), nil) }
func (t *TaskTenant) UnmarshalJSON(b []byte) error  { return decodeInto(b, (*taskTenantWire)(t)) } // a task's tenant object
func (t TaskTenant) MarshalJSON() ([]byte, error)   { return encodeWire(taskTenantWire(t), nil) }
func (e *APIError) UnmarshalJSON(b []byte) error    { return decodeInto(b, (*apiErrorWire)(e)) } // a failed answer's error
func (e APIError) MarshalJSON() ([]byte, error)     { return encodeWire(apiErrorWire(e), nil) }
func (s *SubError) UnmarshalJSON(b []byte) error    { return decodeInto(b, (*subErrorWire)(s)) } // one of an error's subErrors
func (s SubError) MarshalJSON() ([]byte, error)     { return encodeWire(subErrorWire(s), nil) }
