package ocpserver

import (
	"net/http"
	"sync"
	"time"

	"github.com/obconsole/obconsole/backend/internal/minheap"
	"github.com/obconsole/obconsole/backend/ocp"
)

// MaxRememberedSignatures bounds the signatures of accepted changes kept to
// refuse their replay. When that many are still inside their Date window,
// further signed changes are refused (HTTP 429) until the oldest leave it,
// rather than forgetting one that could then be replayed.
const MaxRememberedSignatures = 1 << 16

// isChange reports whether method changes something on the server.
func isChange(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch:
		return true
	}
	return false
}

// replayGuard remembers the signatures of accepted AK/SK changes until
// their Date leaves the accepted window (ocp.MaxDateSkew each side of the
// server clock): within it, a captured signed POST could otherwise be sent
// again and restart a server a second time. OCP documents no such check;
// serve makes it. Safe for concurrent use.
type replayGuard struct {
	mu    sync.Mutex
	max   int
	seen  map[string]bool
	queue *minheap.Heap[remembered] // the same keys, soonest expiry first
}

type remembered struct {
	key     string
	expires time.Time // when its Date leaves the window
}

// verdict of replayGuard.admit.
type verdict int

const (
	admitted verdict = iota
	replayed
	full
)

// admit records the signature of an authenticated change dated date, at
// server time now. It is refused when the same signature was admitted
// before (replayed), or when the guard cannot remember one more (full);
// retryAfter then says when room frees up.
func (g *replayGuard) admit(accessKeyID, signature string, date, now time.Time) (v verdict, retryAfter time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.queue == nil {
		g.queue = minheap.New(func(a, b remembered) bool { return a.expires.Before(b.expires) })
	}
	for g.queue.Len() > 0 && g.queue.Peek().expires.Before(now) {
		delete(g.seen, g.queue.Pop().key)
	}
	key := accessKeyID + ":" + signature
	if g.seen[key] {
		return replayed, 0
	}
	limit := g.max
	if limit <= 0 {
		limit = MaxRememberedSignatures
	}
	if g.queue.Len() >= limit {
		return full, max(g.queue.Peek().expires.Sub(now), time.Second)
	}
	if g.seen == nil {
		g.seen = map[string]bool{}
	}
	g.seen[key] = true
	g.queue.Push(remembered{key: key, expires: date.Add(ocp.MaxDateSkew)})
	return admitted, 0
}

// size is how many signatures the guard holds.
func (g *replayGuard) size() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.seen)
}
