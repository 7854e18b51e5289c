package audit

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// Record is one action: its intent and, when it was written, its outcome.
type Record struct {
	Intent  *Entry // nil when only the outcome survived (a truncated journal)
	Outcome *Entry // nil: outcome unknown
}

// Entry is the line the record is best described by: the intent, or the
// outcome when the intent is missing.
func (r Record) Entry() Entry {
	if r.Intent != nil {
		return *r.Intent
	}
	return *r.Outcome
}

// Time is when the action was attempted.
func (r Record) Time() time.Time { return r.Entry().Time }

// Result is ResultOK, ResultError or ResultUnknown.
func (r Record) Result() string {
	if r.Outcome == nil || r.Outcome.Result == "" {
		return ResultUnknown
	}
	return r.Outcome.Result
}

// BadLine is a line that is not a journal entry (a write cut short by a
// crash, or an edit by hand).
type BadLine struct {
	Line int
	Err  string
}

// Log is a journal read back.
type Log struct {
	Records []Record // in the order the actions were attempted
	Bad     []BadLine
}

// maxLine bounds one journal line; entries are a few hundred bytes.
const maxLine = 1 << 20

// Read parses a journal and pairs intents with outcomes by id.
func Read(r io.Reader) (*Log, error) {
	log := &Log{Records: []Record{}}
	index := map[string]int{} // id → position in Records
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Bytes()
		if len(line) == 0 {
			continue
		}
		var e Entry
		if err := json.Unmarshal(line, &e); err != nil {
			log.Bad = append(log.Bad, BadLine{Line: n, Err: err.Error()})
			continue
		}
		switch e.Phase {
		case PhaseIntent:
			if i, ok := index[e.ID]; ok && log.Records[i].Intent == nil {
				log.Records[i].Intent = &e
				continue
			}
			index[e.ID] = len(log.Records)
			log.Records = append(log.Records, Record{Intent: &e})
		case PhaseOutcome:
			if i, ok := index[e.ID]; ok && log.Records[i].Outcome == nil {
				log.Records[i].Outcome = &e
				continue
			}
			index[e.ID] = len(log.Records)
			log.Records = append(log.Records, Record{Outcome: &e})
		default:
			log.Bad = append(log.Bad, BadLine{Line: n, Err: fmt.Sprintf("unknown phase %q", e.Phase)})
		}
	}
	if err := sc.Err(); err != nil {
		return log, fmt.Errorf("line %d: %w", n+1, err)
	}
	return log, nil
}

// ReadFile reads the journal at path (DefaultPath when empty). A journal
// that does not exist yet is empty.
func ReadFile(path string) (*Log, error) {
	if path == "" {
		p, err := DefaultPath()
		if err != nil {
			return nil, err
		}
		path = p
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return &Log{Records: []Record{}}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f)
}

// Since keeps the records attempted at or after t.
func (l *Log) Since(t time.Time) []Record {
	out := make([]Record, 0, len(l.Records))
	for _, r := range l.Records {
		if !r.Time().Before(t) {
			out = append(out, r)
		}
	}
	return out
}
