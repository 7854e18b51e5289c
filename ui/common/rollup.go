package common

import (
	"fmt"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/store"
)

// Health counts a group's servers (a zone's, a cluster's) and those of
// them not RUNNING (store.Health), so a list can say that a RUNNING zone
// or cluster has a server down instead of a plain RUNNING.
type Health store.Health

// HealthOf counts servers.
func HealthOf(servers []ocp.Server) Health { return Health(store.HealthOf(servers)) }

// Note is the degraded mark of a group with h: "1 of 2 servers down" as a
// warning, an error when every server is down; none when all run.
func (h Health) Note() Note {
	if h.Down == 0 {
		return Note{}
	}
	tone := theme.ToneWarn
	if h.Down == h.Servers {
		tone = theme.ToneError
	}
	noun := "servers"
	if h.Servers == 1 {
		noun = "server"
	}
	return Note{Tone: tone, Text: fmt.Sprintf("%d of %d %s down", h.Down, h.Servers, noun),
		Short: fmt.Sprintf("%d/%d down", h.Down, h.Servers)}
}

// ZonesNote is the degraded mark of a cluster whose zones are not all
// RUNNING, when its servers are not known: "1 of 3 zones down".
func ZonesNote(zones []ocp.Zone) Note {
	bad := 0
	for _, z := range zones {
		if z.Status.Class() != ocp.ClassOK {
			bad++
		}
	}
	if bad == 0 {
		return Note{}
	}
	tone := theme.ToneWarn
	if bad == len(zones) {
		tone = theme.ToneError
	}
	return Note{Tone: tone, Text: fmt.Sprintf("%d of %d zones down", bad, len(zones)),
		Short: fmt.Sprintf("%d/%d zones", bad, len(zones))}
}
