package store

import "time"

// Gentle polling: a big list costs OCP (and a slow link) its whole size on
// every read, so its polling interval grows with its size and with every
// read that finds nothing changed, up to what keeps idle polling of a list
// well under 64 KB/s (a server is some 320 bytes of JSON: 10,000 servers
// are read every 80 s, 100,000 every 13 minutes); a read that finds a
// change halves it again. Lists under bigList rows poll every refresh, as does
// anything the operator asks for (ctrl+r, opening a screen).
const (
	bigList         = 1000
	perRow          = 8 * time.Millisecond
	maxListInterval = 15 * time.Minute
)

// listTicks is the idle polling interval of a list of rows, in ticks of
// refresh.
func listTicks(rows int, refresh time.Duration) int {
	if rows < bigList || refresh <= 0 {
		return 1
	}
	d := min(time.Duration(rows)*perRow, maxListInterval)
	return max(1, int((d+refresh-1)/refresh))
}

// adapt is a list's next polling interval after an answer of rows rows:
// the idle interval at first, half as long after a change, twice as long
// (up to the idle interval) after a read that changed nothing.
func adapt(every, rows int, changed bool, refresh time.Duration) int {
	limit := listTicks(rows, refresh)
	switch {
	case every == 0:
		return limit
	case changed:
		return max(1, every/2)
	}
	return min(limit, max(1, every*2))
}
