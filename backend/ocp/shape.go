package ocp

import (
	"encoding/json"
	"reflect"
	"strings"
	"sync"
)

// wireShape remembers how an object arrived, so that encoding it again
// writes the members that came and no others: a member the type always
// writes is left out if it did not arrive (and its field is still zero),
// and a member the type leaves out when empty (omitempty, omitzero: an
// empty list, a "1970…" time, an empty string) is written back as it came
// (while its field is still empty). Objects built in Go have no shape and
// encode as their tags say.
type wireShape struct {
	absent  map[string]bool // tag names
	omitted Extra           // keyed by the name as it arrived
}

// isAbsent reports whether the member named (as in its tag) did not arrive;
// false for an object built in Go.
func (sh *wireShape) isAbsent(name string) bool { return sh != nil && sh.absent[name] }

// arrived is sh with the member name counted as arrived: a copy, as a
// shape may be shared by many objects.
func (sh *wireShape) arrived(name string) *wireShape {
	if !sh.isAbsent(name) {
		return sh
	}
	out := &wireShape{omitted: sh.omitted}
	for k := range sh.absent {
		if k != name {
			if out.absent == nil {
				out.absent = map[string]bool{}
			}
			out.absent[k] = true
		}
	}
	if out.absent == nil && out.omitted == nil {
		return nil
	}
	return out
}

// shapeOf records the shape of the members raw against the decoded plain
// (a pointer to a struct).
func shapeOf(raw map[string]json.RawMessage, plain any) *wireShape {
	v := reflect.ValueOf(plain).Elem()
	lower := make(map[string]string, len(raw))
	for k := range raw {
		lower[strings.ToLower(k)] = k
	}
	var sh wireShape
	for _, f := range wireFields(v.Type()) {
		val, arrived := raw[f.name]
		name := f.name
		if !arrived {
			name, arrived = lower[strings.ToLower(f.name)]
			val = raw[name]
		}
		switch {
		case !arrived:
			if sh.absent == nil {
				sh.absent = map[string]bool{}
			}
			sh.absent[f.name] = true
		case f.omit && emptyField(v.Field(f.index), f):
			if sh.omitted == nil {
				sh.omitted = Extra{}
			}
			sh.omitted[name] = val
		}
	}
	if sh.absent == nil && sh.omitted == nil {
		return nil
	}
	return &sh
}

// emptyField is encoding/json's rule for leaving a member out.
func emptyField(v reflect.Value, f wireField) bool {
	if f.omitZ {
		if z, ok := v.Interface().(interface{ IsZero() bool }); ok {
			return z.IsZero()
		}
		return v.IsZero()
	}
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}

// zeroAt reports whether an addressable field holds its zero value (or,
// for a type with an IsZero method, says it is zero).
func zeroAt(v reflect.Value) bool {
	if z, ok := v.Addr().Interface().(interface{ IsZero() bool }); ok {
		return z.IsZero()
	}
	return v.IsZero()
}

// shapeCache shares the shapes objects of one type arrive in: a list of
// 100,000 servers comes in a handful of shapes, and each server keeps a
// pointer to one of them instead of maps of its own. Shapes are never
// changed once made (arrived copies).
type shapeCache struct {
	mu sync.RWMutex
	m  map[string]*wireShape
}

// maxShapes bounds the shapes kept per type; past it shapes are made for
// each object, as before.
const maxShapes = 256

// get returns the shape recorded under key, making it with build the
// first time.
func (c *shapeCache) get(key []byte, build func() *wireShape) *wireShape {
	c.mu.RLock()
	sh, ok := c.m[string(key)]
	c.mu.RUnlock()
	if ok {
		return sh
	}
	sh = build()
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev, ok := c.m[string(key)]; ok {
		return prev
	}
	if len(c.m) < maxShapes {
		if c.m == nil {
			c.m = map[string]*wireShape{}
		}
		c.m[string(key)] = sh
	}
	return sh
}
