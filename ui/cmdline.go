package ui

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/clusters"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/servers"
	"github.com/obconsole/obconsole/ui/store"
	"github.com/obconsole/obconsole/ui/tasks"
	"github.com/obconsole/obconsole/ui/zones"
)

// The command line (:, as in k9s) jumps anywhere in one go:
//
//	:clusters                 the clusters list
//	:tasks [running|failed|successful]
//	:task 89027028            the Task view of a task
//	:cluster protoss          the zones of a cluster
//	:zone protoss/zone1       the servers of a zone
//	:server 192.0.2.12[:2882] a server's detail
//	:help, :quit
//
// tab completes from what the console has read (names, addresses, task
// ids); ↑/↓ pick among several completions. A jump rebuilds the stack the
// way the operator would have walked it (clusters › protoss › zone1 ›
// 192.0.2.12:2882), so esc goes back up. A name that does not resolve is
// said on the line, which stays open; esc closes it. Names and ids are
// looked up with one or a few reads, only when enter is pressed.

// cmdline is the open command line.
type cmdline struct {
	input   textinput.Model
	err     string // said under the line until the next key
	pending bool   // enter was pressed: the lookup is on its way
	seq     int64  // tags the lookup's answer
}

// jumpMsg is a resolved command.
type jumpMsg struct {
	seq     int64
	cluster *ocp.Cluster
	zone    string
	server  *ocp.Server
	taskID  int64
	err     error
}

// Completions offered for the command words.
var commandWords = []string{"clusters", "tasks", "tasks running", "tasks failed", "tasks successful", "help", "quit"}

// maxServerCompletions bounds the servers offered to tab.
const maxServerCompletions = 2000

func (m *Model) openCmdline() {
	in := textinput.New()
	in.Prompt = ":"
	in.ShowSuggestions = true
	in.CharLimit = 200
	in.Cursor.SetMode(cursor.CursorStatic) // no blink: no frames while idle
	// ctrl+v would run xclip or xsel on the host for the local clipboard:
	// a paste comes from the terminal (bracketed paste) instead.
	in.KeyMap.Paste = key.NewBinding(key.WithDisabled())
	st := &m.ctx.Theme.Styles
	in.PromptStyle, in.TextStyle, in.CompletionStyle = st.FilterBar, st.FilterBar, st.Muted
	in.Cursor.Style = st.SelectedRow
	suggestions := append([]string(nil), commandWords...)
	for _, c := range m.ctx.Names.Completions(maxServerCompletions, 50) {
		// Names came from OCP: one holding a control is not offered.
		if safetext.IsSafe(c) && m.ctx.Line(c) == c {
			suggestions = append(suggestions, c)
		}
	}
	in.SetSuggestions(suggestions)
	in.Focus()
	m.cmd = &cmdline{input: in}
}

// cmdKey handles a key while the command line is open.
func (m *Model) cmdKey(msg tea.KeyMsg) tea.Cmd {
	c := m.cmd
	switch msg.Type {
	case tea.KeyEsc:
		m.cmd = nil
		return nil
	case tea.KeyEnter:
		if c.pending {
			return nil
		}
		return m.runCommand(strings.TrimSpace(c.input.Value()))
	}
	c.err = ""
	var cmd tea.Cmd
	c.input, cmd = c.input.Update(msg)
	return cmd
}

// runCommand does what the line says, or says why not.
func (m *Model) runCommand(line string) tea.Cmd {
	c := m.cmd
	word, arg, _ := strings.Cut(line, " ")
	arg = strings.TrimSpace(arg)
	switch strings.ToLower(word) {
	case "":
		m.cmd = nil
		return nil
	case "clusters", "cl":
		m.cmd = nil
		return m.jump(jumpMsg{})
	case "tasks":
		status := ocp.TaskStatus(strings.ToUpper(arg))
		if arg != "" && !isFilterable(status) {
			c.err = fmt.Sprintf("tasks %s: the statuses are %s", safetext.Excerpt(arg), filterableWords())
			return nil
		}
		m.cmd = nil
		return m.jumpTasks(status)
	case "help":
		m.cmd = nil
		return m.push(m.helpScreen())
	case "quit", "q":
		m.cmd = nil
		return m.quit()
	case "task", "cluster", "zone", "server":
		if arg == "" {
			c.err = word + " needs " + map[string]string{"task": "an id", "cluster": "a name", "zone": "CLUSTER/ZONE", "server": "an IP or IP:PORT"}[word]
			return nil
		}
	default:
		c.err = fmt.Sprintf("unknown command %s: try clusters, tasks, task ID, cluster NAME, zone CLUSTER/ZONE, server IP[:PORT]", safetext.Excerpt(word))
		return nil
	}
	c.pending = true
	m.cmdSeq++
	c.seq = m.cmdSeq
	seq, read, base := c.seq, m.store.Reader(), m.store.Base()
	kind := strings.ToLower(word)
	return func() tea.Msg {
		msg := resolve(base, read, kind, arg)
		msg.seq = seq
		return msg
	}
}

func isFilterable(st ocp.TaskStatus) bool {
	for _, f := range ocp.FilterableTaskStatuses() {
		if f == st {
			return true
		}
	}
	return false
}

func filterableWords() string {
	var out []string
	for _, f := range ocp.FilterableTaskStatuses() {
		out = append(out, strings.ToLower(string(f)))
	}
	return strings.Join(out, ", ")
}

// resolve looks the command's subject up (inside a Cmd).
func resolve(base context.Context, read *store.Reader, kind, arg string) jumpMsg {
	switch kind {
	case "task":
		id, err := strconv.ParseInt(strings.TrimPrefix(arg, "#"), 10, 64)
		if err != nil || id <= 0 {
			return jumpMsg{err: fmt.Errorf("task %s: an id is a number", safetext.Excerpt(arg))}
		}
		if _, err := read.Task(base, id); err != nil {
			if backend.KindOf(err) == backend.NotFound {
				return jumpMsg{err: fmt.Errorf("no task %d on this target", id)}
			}
			return jumpMsg{err: err}
		}
		return jumpMsg{taskID: id}
	case "cluster", "zone":
		name, zone := arg, ""
		if kind == "zone" {
			var ok bool
			if name, zone, ok = strings.Cut(arg, "/"); !ok || name == "" || zone == "" {
				return jumpMsg{err: fmt.Errorf("zone %s: write CLUSTER/ZONE", safetext.Excerpt(arg))}
			}
		}
		c, err := findCluster(base, read, name)
		if err != nil || kind == "cluster" {
			return jumpMsg{cluster: c, err: err}
		}
		zs, err := read.Zones(base, c.ID)
		if err != nil {
			return jumpMsg{err: err}
		}
		for _, z := range zs {
			if strings.EqualFold(z.Name, zone) {
				return jumpMsg{cluster: c, zone: z.Name}
			}
		}
		return jumpMsg{err: fmt.Errorf("no zone %s in %s", safetext.Excerpt(zone), safetext.Line(c.Name))}
	case "server":
		return findServer(base, read, arg)
	}
	return jumpMsg{err: fmt.Errorf("unknown command %s", safetext.Excerpt(kind))}
}

func findCluster(base context.Context, read *store.Reader, name string) (*ocp.Cluster, error) {
	cs, err := read.Clusters(base)
	if err != nil {
		return nil, err
	}
	for i := range cs {
		if strings.EqualFold(cs[i].Name, name) {
			return &cs[i], nil
		}
	}
	return nil, fmt.Errorf("no cluster %s", safetext.Excerpt(name))
}

// findServer finds IP or IP:PORT among every cluster's servers.
func findServer(base context.Context, read *store.Reader, arg string) jumpMsg {
	ip, port := arg, 0
	if h, p, err := net.SplitHostPort(arg); err == nil {
		n, err := strconv.Atoi(p)
		if err != nil {
			return jumpMsg{err: fmt.Errorf("server %s: the port is a number", safetext.Excerpt(arg))}
		}
		ip, port = h, n
	}
	if net.ParseIP(ip) == nil {
		return jumpMsg{err: fmt.Errorf("server %s: give an IP or IP:PORT", safetext.Excerpt(arg))}
	}
	cs, err := read.Clusters(base)
	if err != nil {
		return jumpMsg{err: err}
	}
	var found []jumpMsg
	for i := range cs {
		ss, err := read.Servers(base, cs[i].ID, "")
		if err != nil {
			return jumpMsg{err: err}
		}
		for j := range ss {
			if net.ParseIP(ss[j].IP).Equal(net.ParseIP(ip)) && (port == 0 || ss[j].Port == port) {
				found = append(found, jumpMsg{cluster: &cs[i], zone: ss[j].ZoneName, server: &ss[j]})
			}
		}
	}
	switch len(found) {
	case 0:
		return jumpMsg{err: fmt.Errorf("no server %s on this target", safetext.Excerpt(arg))}
	case 1:
		return found[0]
	}
	return jumpMsg{err: fmt.Errorf("%s has %d servers: give IP:PORT", safetext.Excerpt(arg), len(found))}
}

// jumpDone takes a lookup's answer: a jump, or an error on the line.
func (m *Model) jumpDone(msg jumpMsg) tea.Cmd {
	c := m.cmd
	if c == nil || msg.seq != c.seq {
		return nil // closed, or an older lookup
	}
	c.pending = false
	if msg.err != nil {
		if common.Denied(msg.err) {
			m.cmd = nil
			return m.access(m.store.ReadDone(msg.err), msg.err)
		}
		c.err = m.ctx.ErrorText(msg.err)
		return nil
	}
	m.cmd = nil
	return m.jump(msg)
}

// jump rebuilds the stack to where msg points: clusters, then the
// cluster's zones, the zone's servers, the server's detail, or the Task
// view over the tasks list.
func (m *Model) jump(msg jumpMsg) tea.Cmd {
	if msg.taskID != 0 {
		m.resetStack(clusters.New(m.ctx), tasks.New(m.ctx))
		return m.openTask(common.OpenTaskMsg{TaskID: msg.taskID})
	}
	screens := []common.Screen{clusters.New(m.ctx)}
	if msg.cluster != nil {
		screens = append(screens, zones.New(m.ctx, *msg.cluster))
		if msg.zone != "" {
			screens = append(screens, servers.New(m.ctx, *msg.cluster, msg.zone))
		}
		if msg.server != nil {
			screens = append(screens, servers.NewDetail(m.ctx, *msg.cluster, *msg.server))
		}
	}
	return m.resetStack(screens...)
}

func (m *Model) jumpTasks(status ocp.TaskStatus) tea.Cmd {
	return m.resetStack(clusters.New(m.ctx), tasks.NewWithStatus(m.ctx, status))
}

// cmdLines are the two lines the command line takes (over the footer and
// the status bar): the input, then its error or its hints.
func (m *Model) cmdLines(w int) (string, string) {
	th := m.ctx.Theme
	st := &th.Styles
	c := m.cmd
	c.input.Width = max(w-3, 1)
	line := " " + c.input.View()
	var under string
	switch {
	case c.err != "":
		under = st.Error.Render(th.Icon(theme.ToneError) + " " + th.Truncate(m.ctx.Line(c.err), max(w-6, 1)))
	case c.pending:
		under = st.Muted.Render("looking it up" + th.Glyphs.Ellipsis)
	default:
		hints := []string{"tab completes", "enter goes", "esc closes", "clusters", "tasks", "task ID", "cluster NAME", "zone CLUSTER/ZONE", "server IP[:PORT]"}
		under = ""
		for _, h := range hints {
			next := under
			if next != "" {
				next += th.Glyphs.Bullet
			}
			next += h
			if ansi.StringWidth(next)+1 > w {
				break
			}
			under = next
		}
		under = st.Muted.Render(under)
	}
	return common.PadRight(line, w), common.PadRight(" "+under, w)
}
