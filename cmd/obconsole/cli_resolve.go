package main

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
)

// maxCandidates bounds how many candidates an error lists.
const maxCandidates = 20

// nameError is an unknown or ambiguous name; it lists the candidates.
func nameError(what, arg string, ambiguous bool, candidates []string) error {
	var b strings.Builder
	if ambiguous {
		fmt.Fprintf(&b, "%s %q is ambiguous; it matches:", what, arg)
	} else {
		fmt.Fprintf(&b, "no %s %q", what, arg)
		if len(candidates) == 0 {
			b.WriteString(" (there are none)")
			return usageError("%s", b.String())
		}
		b.WriteString("; candidates:")
	}
	for i, c := range candidates {
		if i == maxCandidates {
			fmt.Fprintf(&b, "\n  … and %d more", len(candidates)-i)
			break
		}
		b.WriteString("\n  ")
		b.WriteString(safetext.Line(c))
	}
	return usageError("%s", b.String())
}

func describeCluster(c ocp.Cluster) string {
	s := fmt.Sprintf("%s (id %d", c.Name, c.ID)
	if c.Type != "" {
		s += ", " + string(c.Type)
	}
	return s + ")"
}

// resolveCluster finds the cluster named arg, by exact name, by id, then
// by name ignoring case. Names are not unique in OCP (a standby may share
// its primary's name): several matches are an error listing them.
func resolveCluster(ctx context.Context, ex backend.Executor, arg string) (ocp.Cluster, error) {
	arg = strings.TrimSpace(arg)
	if arg == "" {
		return ocp.Cluster{}, usageError("no cluster given")
	}
	clusters, err := ex.ListClusters(ctx)
	if err != nil {
		return ocp.Cluster{}, commandError(err)
	}
	id, idErr := strconv.ParseInt(arg, 10, 64)
	matchers := []func(ocp.Cluster) bool{
		func(c ocp.Cluster) bool { return c.Name == arg || (idErr == nil && c.ID == id) },
		func(c ocp.Cluster) bool { return strings.EqualFold(c.Name, arg) },
	}
	for _, match := range matchers {
		if found := matching(clusters, match); len(found) > 0 {
			return pick("cluster", arg, found, clusters, describeCluster)
		}
	}
	return pick("cluster", arg, nil, clusters, describeCluster)
}

// resolveZone checks that cluster c has a zone named arg (exact, then
// ignoring case) and returns its name as OCP spells it.
func resolveZone(ctx context.Context, ex backend.Executor, c ocp.Cluster, arg string) (string, error) {
	zones, err := ex.ListZones(ctx, c.ID)
	if err != nil {
		return "", commandError(err)
	}
	names := mapList(zones, func(z ocp.Zone) string { return z.Name })
	if slices.Contains(names, arg) {
		return arg, nil
	}
	found := matching(names, func(n string) bool { return strings.EqualFold(n, arg) })
	return pick("zone of cluster "+c.Name+":", arg, found, names, func(n string) string { return n })
}

func describeServer(s ocp.Server) string {
	return fmt.Sprintf("%s (id %d, %s, %s)", s.Address(), s.ID, s.ZoneName, s.Status)
}

// resolveServer finds a server of cluster c by IP:PORT, IP or id. An IP
// that carries several observers (ports) is ambiguous.
func resolveServer(ctx context.Context, ex backend.Executor, c ocp.Cluster, arg string) (ocp.Server, error) {
	arg = strings.TrimSpace(arg)
	if arg == "" {
		return ocp.Server{}, usageError("no server given")
	}
	servers, err := ex.ListServers(ctx, c.ID, "")
	if err != nil {
		return ocp.Server{}, commandError(err)
	}
	var match func(ocp.Server) bool
	if host, portText, err := net.SplitHostPort(arg); err == nil {
		port, perr := strconv.Atoi(portText)
		if perr != nil {
			return ocp.Server{}, usageError("server %q: the port is not a number", arg)
		}
		ip := net.ParseIP(host)
		match = func(s ocp.Server) bool { return s.Port == port && sameIP(s.IP, host, ip) }
	} else if ip := net.ParseIP(strings.Trim(arg, "[]")); ip != nil {
		host := strings.Trim(arg, "[]")
		match = func(s ocp.Server) bool { return sameIP(s.IP, host, ip) }
	} else if id, err := strconv.ParseInt(arg, 10, 64); err == nil {
		match = func(s ocp.Server) bool { return s.ID == id }
	} else {
		return ocp.Server{}, nameError("server (IP, IP:PORT or id) in cluster "+c.Name+":", arg, false, mapList(servers, describeServer))
	}
	return pick("server in cluster "+c.Name+":", arg, matching(servers, match), servers, describeServer)
}

// sameIP compares a server's IP with what the operator typed, as
// addresses when both parse (so 2001:db8::1 matches 2001:DB8:0::1).
func sameIP(serverIP, typed string, typedIP net.IP) bool {
	if typedIP != nil {
		if sip := net.ParseIP(serverIP); sip != nil {
			return sip.Equal(typedIP)
		}
	}
	return serverIP == typed
}

// resolveTaskID parses a task id argument.
func resolveTaskID(arg string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(arg), 10, 64)
	if err != nil || id <= 0 {
		return 0, usageError("task id %q: want a positive number", arg)
	}
	return id, nil
}

func mapList[T any](xs []T, f func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// matching are the xs that match.
func matching[T any](xs []T, match func(T) bool) []T {
	var found []T
	for _, x := range xs {
		if match(x) {
			found = append(found, x)
		}
	}
	return found
}

// pick is the one item found; none is a nameError listing all, several
// one listing those found.
func pick[T any](what, arg string, found, all []T, describe func(T) string) (T, error) {
	var none T
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return none, nameError(what, arg, false, mapList(all, describe))
	}
	return none, nameError(what, arg, true, mapList(found, describe))
}
