// Package steplog is the step log view: the whole log of one subtask in a
// scrollable viewport (bubbles/viewport), opened from the Task view.
//
// While the step runs the view follows new lines: one request per refresh
// tick, the log (SubtaskLog), or every third tick the step's status
// (GetTask) so it knows when to stop; once the step has ended it fetches
// the log one last time and polls no more (ctrl+r still reloads).
// Ticks reach only the shown screen, so nothing is polled while the view is
// covered, and the view is dropped when closed.
//
// Keys: ↑/↓ (k/j), pgup/pgdn move; g and G go to the top and the bottom (G
// also follows new lines again, as f does); moving up stops following; /
// searches (case-insensitive, enter keeps the search, esc clears it), n and
// N go to the next and previous match; esc goes back to the Task view.
// Long lines are wrapped, never cut.
package steplog
