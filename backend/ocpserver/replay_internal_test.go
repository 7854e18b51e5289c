package ocpserver

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend/ocp"
)

var t0 = time.Date(2024, 4, 15, 9, 25, 2, 0, time.UTC)

// A signature is remembered exactly while its Date is inside the window,
// and forgotten after, so memory follows the traffic of the last window.
func TestReplayGuardForgetsWhatLeftTheWindow(t *testing.T) {
	var g replayGuard
	if v, _ := g.admit("AK", "s1", t0, t0); v != admitted {
		t.Fatalf("first: %v", v)
	}
	if v, _ := g.admit("AK", "s1", t0, t0.Add(ocp.MaxDateSkew)); v != replayed {
		t.Errorf("at the window's last instant: %v, want replayed", v)
	}
	if v, _ := g.admit("AK2", "s1", t0, t0); v != admitted {
		t.Errorf("another key's equal signature: %v", v)
	}
	// Past the window the Date check refuses the request anyway; the
	// guard no longer needs the signature.
	if v, _ := g.admit("AK", "s2", t0.Add(ocp.MaxDateSkew+time.Second), t0.Add(ocp.MaxDateSkew+time.Second)); v != admitted || g.size() != 1 {
		t.Errorf("after the window: %v, %d remembered", v, g.size())
	}
}

// The guard is bounded: when it is full of signatures still inside their
// window it refuses new changes (and says when room frees up) rather than
// forget one that could then be replayed.
func TestReplayGuardIsBounded(t *testing.T) {
	g := replayGuard{max: 3}
	for i := range 3 {
		if v, _ := g.admit("AK", fmt.Sprint(i), t0.Add(time.Duration(i)*time.Minute), t0); v != admitted {
			t.Fatalf("%d: %v", i, v)
		}
	}
	v, wait := g.admit("AK", "3", t0, t0.Add(time.Minute))
	if v != full || wait != ocp.MaxDateSkew-time.Minute {
		t.Errorf("full: %v, wait %v", v, wait)
	}
	if v, _ := g.admit("AK", "0", t0, t0.Add(time.Minute)); v != replayed {
		t.Errorf("a replay while full is still a replay: %v", v)
	}
	if v, _ := g.admit("AK", "3", t0.Add(ocp.MaxDateSkew), t0.Add(ocp.MaxDateSkew+time.Second)); v != admitted || g.size() != 3 {
		t.Errorf("once the oldest left: %v, %d remembered", v, g.size())
	}
}

// Concurrent replays of one signature: exactly one is admitted.
func TestReplayGuardConcurrent(t *testing.T) {
	var g replayGuard
	var mu sync.Mutex
	admittedN := 0
	var wg sync.WaitGroup
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if v, _ := g.admit("AK", "same", t0, t0); v == admitted {
				mu.Lock()
				admittedN++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if admittedN != 1 {
		t.Errorf("%d admitted", admittedN)
	}
}

// Full, the handler answers a signed change with 429 and when to retry.
func TestFullGuardIsRateLimited(t *testing.T) {
	h := New(Config{AccessKeys: map[string]string{"AK": "sk"}, Now: func() time.Time { return t0 }})
	h.replays.max = 1
	send := func(date time.Time) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", "http://ocp.test/api/v2/none", nil)
		s := ocp.Sign(ocp.SignRequest{Method: "POST", Host: r.Host, Path: r.URL.EscapedPath(), Header: r.Header, Date: date}, "AK", "sk")
		for k, v := range s.Header {
			r.Header[k] = v
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	if w := send(t0); w.Code != http.StatusBadRequest { // authenticated, then no such route
		t.Fatalf("first: %d %s", w.Code, w.Body)
	}
	w := send(t0.Add(time.Second))
	if w.Code != http.StatusTooManyRequests || w.Header().Get("RateLimit-Reset") != "900" || !strings.Contains(w.Body.String(), `"code":0,"message":"Excessive number of requests.`) {
		t.Errorf("full: %d %v %s", w.Code, w.Header(), w.Body)
	}
}
