package audit

import (
	"bufio"
	"bytes"
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

// maxLine bounds one journal line; entries are a few hundred bytes. A
// longer line is reported as bad and skipped, and reading goes on.
const maxLine = 1 << 20

// entryStart begins every line Append writes (Time is Entry's first
// field). Inside an entry it cannot occur: a quote in a string value is
// escaped. So it marks where an entry glued onto a partial one begins.
var entryStart = []byte(`{"time":`)

// Read parses a journal and pairs intents with outcomes by id. Lines that
// are not entries are reported in Bad and skipped. A line where a partial
// entry (a write cut short) has a complete one appended to it, as journals
// written before partial lines were closed can hold, gives up its complete
// entry and reports the partial one as bad.
func Read(r io.Reader) (*Log, error) {
	log := &Log{Records: []Record{}}
	index := map[string]int{} // id → position in Records
	br := bufio.NewReaderSize(r, 64<<10)
	for n := 1; ; n++ {
		line, tooLong, err := readLine(br)
		switch {
		case tooLong:
			log.Bad = append(log.Bad, BadLine{Line: n, Err: fmt.Sprintf("longer than %d bytes", maxLine)})
		case len(line) > 0:
			log.add(index, n, line)
		}
		if err == io.EOF {
			return log, nil
		}
		if err != nil {
			return log, fmt.Errorf("line %d: %w", n, err)
		}
	}
}

// readLine reads one line without its "\n" (or "\r\n"); a line longer
// than maxLine is skipped to its end and reported as tooLong.
func readLine(br *bufio.Reader) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > maxLine+1 { // +1: the newline
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
		return line, tooLong, err
	}
}

// add reads line n into the log.
func (log *Log) add(index map[string]int, n int, line []byte) {
	var e Entry
	err := json.Unmarshal(line, &e)
	if err == nil {
		log.addEntry(index, n, e)
		return
	}
	parts := splitGlued(line)
	if len(parts) == 1 {
		log.Bad = append(log.Bad, BadLine{Line: n, Err: err.Error()})
		return
	}
	for _, p := range parts {
		var e Entry
		if err := json.Unmarshal(p, &e); err != nil {
			log.Bad = append(log.Bad, BadLine{Line: n, Err: fmt.Sprintf("%d bytes cut short (%v)", len(p), err)})
			continue
		}
		log.addEntry(index, n, e)
	}
}

// splitGlued cuts a line before every entryStart after its first byte.
func splitGlued(line []byte) [][]byte {
	var parts [][]byte
	for {
		i := bytes.Index(line[1:], entryStart)
		if i < 0 {
			return append(parts, line)
		}
		parts = append(parts, line[:i+1])
		line = line[i+1:]
	}
}

// halves are the halves of a record each phase fills.
var halves = map[string]func(*Record) **Entry{
	PhaseIntent:  func(r *Record) **Entry { return &r.Intent },
	PhaseOutcome: func(r *Record) **Entry { return &r.Outcome },
}

// addEntry puts an entry in its record: the one of its id still missing
// that half, else a new one.
func (log *Log) addEntry(index map[string]int, n int, e Entry) {
	half := halves[e.Phase]
	if half == nil {
		log.Bad = append(log.Bad, BadLine{Line: n, Err: fmt.Sprintf("unknown phase %q", e.Phase)})
		return
	}
	if i, ok := index[e.ID]; ok && *half(&log.Records[i]) == nil {
		*half(&log.Records[i]) = &e
		return
	}
	index[e.ID] = len(log.Records)
	var r Record
	*half(&r) = &e
	log.Records = append(log.Records, r)
}

// ReadFile reads the journal at path (DefaultPath when empty). A journal
// that does not exist yet is empty.
func ReadFile(path string) (*Log, error) {
	path, err := pathOr(path)
	if err != nil {
		return nil, err
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
