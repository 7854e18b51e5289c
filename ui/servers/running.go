package servers

import (
	"slices"
	"strconv"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/store"
)

// A server with a task running on it (a restart of it or of its zone) is
// not offered another restart: r says what runs and o opens it in the
// Task view. The console knows a task runs on a server when it saw one
// (common.Names: started here, or read with a context naming the server),
// or when the server's own status says an operation is under way
// (RESTARTING, STOPPING…); o then looks the task up among the cluster's
// running tasks (a store entry, read once per o).

// runningLimit is how many of a cluster's running tasks a lookup reads.
const runningLimit = 100

// runningKey is the store entry of a cluster's running tasks.
func runningKey(clusterID int64) store.Key {
	return store.TasksKey(store.TaskQuery{Cluster: clusterID, Status: ocp.TaskRunning, Limit: runningLimit})
}

// findRunning is the task running on server s of cluster clusterID among
// the cluster's running tasks, nil when none: one known to work on s, or
// one whose context names s or (a zone task) its zone.
func findRunning(tasks []ocp.Task, names *common.Names, clusterID int64, s ocp.Server) *ocp.Task {
	if ti, ok := names.RunningOn(clusterID, s); ok {
		for i := range tasks {
			if tasks[i].ID == ti.ID {
				return &tasks[i]
			}
		}
	}
	for i := range tasks {
		ids := tasks[i].ServerIDs()
		if slices.Contains(ids, s.ID) || (len(ids) != 1 && tasks[i].ZoneName() != "" && tasks[i].ZoneName() == s.ZoneName) {
			return &tasks[i]
		}
	}
	return nil
}

// busy reports that s's status says an operation is under way on it.
func busy(s ocp.Server) bool { return s.Status.Class() == ocp.ClassInProgress }

// refuseRestart is what r says on server s when a task runs on it (known
// is that task, when the console knows it); nil when r may open the
// dialog.
func refuseRestart(ctx *common.Context, clusterID int64, s ocp.Server, known *common.TaskInfo) tea.Cmd {
	addr := s.Address()
	if known == nil {
		if ti, ok := ctx.Names.RunningOn(clusterID, s); ok {
			known = &ti
		}
	}
	km := ctx.Keys
	switch {
	case known != nil:
		return common.Toast(common.ToastWarn, "task %d (%s) is running on %s: %s opens it",
			known.ID, orTask(known.Name), addr, km.OpenTask.Help().Key)
	case busy(s):
		return common.Toast(common.ToastWarn, "%s is %s: a task is running on it; %s opens it",
			addr, ctx.Theme.Server(s.Status).Word, km.OpenTask.Help().Key)
	}
	return nil
}

// lookup is an o waiting for its cluster's running tasks.
type lookup struct {
	server ocp.Server
	active bool
	seq    int // every o reads afresh (the use's stamp)
}

// start opens the task running on s: at once when known, else once the
// cluster's running tasks are read.
func (l *lookup) start(ctx *common.Context, clusterID int64, s ocp.Server) tea.Cmd {
	if ti, ok := ctx.Names.RunningOn(clusterID, s); ok {
		return common.OpenTask(ti.ID, false)
	}
	l.server, l.active = s, true
	l.seq++
	return nil
}

// uses is the cluster's running tasks while looking.
func (l *lookup) uses(clusterID int64) []store.Use {
	if !l.active {
		return nil
	}
	return []store.Use{{Key: runningKey(clusterID), Stamp: "o" + strconv.Itoa(l.seq)}}
}

// done opens the task the lookup found, or says none was.
func (l *lookup) done(ctx *common.Context, clusterID int64, msg store.ChangedMsg) tea.Cmd {
	if !l.active || msg.Key != runningKey(clusterID) {
		return nil
	}
	l.active = false
	if msg.State.Err != nil {
		return common.ErrorToast(msg.State.Err)
	}
	tasks, _ := ctx.Store.Tasks(msg.Key.Query)
	if t := findRunning(tasks, ctx.Names, clusterID, l.server); t != nil {
		return common.OpenTask(t.ID, false)
	}
	return common.Toast(common.ToastInfo, "no running task found on %s", l.server.Address())
}

func orTask(name string) string {
	if name == "" {
		return "task"
	}
	return name
}
