package servers

import (
	"context"
	"slices"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/common"
)

// A server with a task running on it (a restart of it or of its zone) is
// not offered another restart: r says what runs and o opens it in the
// Task view. The console knows a task runs on a server when it saw one
// (common.Names: started here, or read with a context naming the server),
// or when the server's own status says an operation is under way
// (RESTARTING, STOPPING…); o then looks the task up among the cluster's
// running tasks.

// runningLimit is how many of a cluster's running tasks a lookup reads.
const runningLimit = 100

// runningMsg answers an o that had to look the task up.
type runningMsg struct {
	id     int64
	server ocp.Server
	task   *ocp.Task
	err    error
}

// findRunning is the task running on server s of cluster clusterID, nil
// when none is found: among the cluster's running tasks, one known to work
// on s, or one whose context names s or (a zone task) its zone.
func findRunning(c context.Context, exec backend.Executor, names *common.Names, clusterID int64, s ocp.Server) (*ocp.Task, error) {
	tasks, err := exec.ListTasks(c, backend.TaskFilter{ClusterID: clusterID, Status: []ocp.TaskStatus{ocp.TaskRunning}, Limit: runningLimit})
	if err != nil {
		return nil, err
	}
	if ti, ok := names.RunningOn(clusterID, s); ok {
		for i := range tasks {
			if tasks[i].ID == ti.ID {
				return &tasks[i], nil
			}
		}
	}
	for i := range tasks {
		ids := tasks[i].ServerIDs()
		if slices.Contains(ids, s.ID) || (len(ids) != 1 && tasks[i].ZoneName() != "" && tasks[i].ZoneName() == s.ZoneName) {
			return &tasks[i], nil
		}
	}
	return nil, nil
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

// openRunning opens the task running on s: at once when known, else after
// one lookup (id tags the answer for the screen that asked).
func openRunning(ctx *common.Context, id, clusterID int64, s ocp.Server) tea.Cmd {
	if ti, ok := ctx.Names.RunningOn(clusterID, s); ok {
		return common.OpenTask(ti.ID, false)
	}
	exec, names, base := ctx.Exec, ctx.Names, ctx.Lifetime
	return func() tea.Msg {
		t, err := findRunning(base, exec, names, clusterID, s)
		return runningMsg{id: id, server: s, task: t, err: err}
	}
}

// runningDone opens the task a lookup found, or says none was.
func runningDone(msg runningMsg) tea.Cmd {
	switch {
	case msg.err != nil:
		return common.ErrorToast(msg.err)
	case msg.task == nil:
		return common.Toast(common.ToastInfo, "no running task found on %s", msg.server.Address())
	}
	return common.OpenTask(msg.task.ID, false)
}

func orTask(name string) string {
	if name == "" {
		return "task"
	}
	return name
}
