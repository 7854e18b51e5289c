package embedded

import "github.com/obconsole/obconsole/backend/ocp"

// Every object handed out is a deep copy: callers may keep and mutate what
// they get while the engine goes on changing its own.

func taskCopy(w *ocp.Task, withSubtasks bool) ocp.Task {
	out := *w
	out.Context = contextCopy(w.Context)
	out.Subtasks = nil
	if !withSubtasks {
		return out
	}
	out.Subtasks = make([]ocp.Subtask, len(w.Subtasks))
	copy(out.Subtasks, w.Subtasks)
	// One backing array for every edge list keeps a 1 Hz poll cheap; the
	// three-index slices stop an append from running into a neighbour.
	n := 0
	for i := range w.Subtasks {
		n += len(w.Subtasks[i].Upstreams) + len(w.Subtasks[i].Downstreams)
	}
	ids := make([]int64, 0, n)
	for i := range out.Subtasks {
		s := &out.Subtasks[i]
		a := len(ids)
		ids = append(ids, s.Upstreams...)
		s.Upstreams = ids[a:len(ids):len(ids)]
		a = len(ids)
		ids = append(ids, s.Downstreams...)
		s.Downstreams = ids[a:len(ids):len(ids)]
	}
	return out
}

func subtaskCopy(s *ocp.Subtask) ocp.Subtask {
	out := *s
	out.Upstreams = append(make([]int64, 0, len(s.Upstreams)), s.Upstreams...)
	out.Downstreams = append(make([]int64, 0, len(s.Downstreams)), s.Downstreams...)
	return out
}

func contextCopy(c ocp.TaskContext) ocp.TaskContext {
	out := c
	if c.StringMap != nil {
		out.StringMap = make(map[string]string, len(c.StringMap))
		for k, v := range c.StringMap {
			out.StringMap[k] = v
		}
	}
	if c.ListMap != nil {
		out.ListMap = make(map[string][]string, len(c.ListMap))
		for k, v := range c.ListMap {
			out.ListMap[k] = append([]string(nil), v...)
		}
	}
	return out
}

func (e *Executor) clusterCopy(c *cluster) ocp.Cluster {
	out := c.w
	out.RootServers = append([]ocp.RootServer(nil), c.w.RootServers...)
	out.Zones = make([]ocp.Zone, len(c.zones))
	for i, z := range c.zones {
		out.Zones[i] = zoneCopy(z)
	}
	return out
}

func zoneCopy(z *zone) ocp.Zone {
	out := z.w
	if z.w.RootServer != nil {
		rs := *z.w.RootServer
		out.RootServer = &rs
	}
	out.Servers = nil
	return out
}
