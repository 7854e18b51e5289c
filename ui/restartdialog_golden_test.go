package ui

import (
	"fmt"
	"testing"
)

// The restart dialogs on the embedded fleet at the sizes an operator may
// have (ASCII, for old jump hosts): whatever the size, the confirmation
// controls (the field, the buttons, the one-line hint) show, and the
// majority arithmetic comes first when the rest must be compressed.
// protoss is healthy; terran's zone2 has 203.0.113.32 UNAVAILABLE, so a
// restart in its zone3 leaves 1 of 3 zones serving.
var restartDialogCases = []goldenCase{
	{name: "server", ascii: true, embedded: true, steps: []step{{text: "terran"}, {keys: "enter", text: "Zones of protoss"},
		{keys: "enter", text: "192.0.2.14"}, {keys: "r", text: "majority of 2 holds"}}},
	{name: "server-force", ascii: true, embedded: true, steps: []step{{text: "terran"}, {keys: "down down enter", text: "Zones of terran"},
		{keys: "down down enter", text: "Servers of zone3"}, {keys: "r", text: "efused"}, {keys: "f", text: "FORCE restart"}}},
	{name: "server-force-scrolled", ascii: true, embedded: true, steps: []step{{text: "terran"}, {keys: "down down enter", text: "Zones of terran"},
		{keys: "down down enter", text: "Servers of zone3"}, {keys: "r", text: "efused"}, {keys: "f", text: "FORCE restart"},
		{keys: "down down down", text: "above"}}},
	{name: "zone", ascii: true, embedded: true, steps: []step{{text: "terran"}, {keys: "enter", text: "Zones of protoss"},
		{keys: "r", text: "majority of 2 holds"}}},
	{name: "zone-force", ascii: true, embedded: true, steps: []step{{text: "terran"}, {keys: "down down enter", text: "Zones of terran"},
		{keys: "down down r", text: "efused"}, {keys: "ctrl+f", text: "FORCE restart zone"}}},
}

func TestRestartDialogGolden(t *testing.T) {
	for _, tc := range restartDialogCases {
		for _, size := range [][2]int{{40, 12}, {50, 14}, {80, 24}} {
			if tc.name == "server-force-scrolled" && size[0] != 40 {
				continue
			}
			t.Run(fmt.Sprintf("%s_%dx%d", tc.name, size[0], size[1]), func(t *testing.T) {
				runGolden(t, tc, size[0], size[1])
			})
		}
	}
}
