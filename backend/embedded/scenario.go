package embedded

import (
	"fmt"
	"strings"

	"github.com/obconsole/obconsole/backend/safetext"
)

// Scenario is a drill: how the simulated servers misbehave. It is a list
// of rules separated by commas, e.g. "slow,fail-once:start-server":
//
//	healthy            every step succeeds (the default; "" means the same)
//	fail-once:STEP     the step's first attempt in each task fails; a retry succeeds
//	hang:STEP          the step's first attempt never finishes and fails at its timeout
//	rollback-fail:STEP the step's first rollback in each task fails; rolling back
//	                   again (or skipping it) goes on
//	precheck-fail      the pre-check of a normal restart fails on every attempt
//	                   (a force restart logs it as a warning and goes on)
//	slow               steps that wait on the observer take about 3.5 times longer
//
// STEP is a step's name in any case ("Wait observer active"), its slug
// ("wait-observer-active") or a short alias ("wait-active"); see StepNames.
type Scenario struct {
	failOnce     stepMask
	hang         stepMask
	rollbackFail stepMask
	precheckFail bool
	slow         bool
	text         string
}

// slowFactor stretches the observer-facing steps of a slow server; even the
// longest stays far inside its timeout.
const slowFactor = 3.5

// ParseScenario parses the scenario syntax described on Scenario.
func ParseScenario(s string) (Scenario, error) {
	sc := Scenario{text: strings.TrimSpace(s)}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		name, arg, hasArg := strings.Cut(part, ":")
		name = strings.ToLower(strings.TrimSpace(name))
		arg = strings.TrimSpace(arg)
		switch name {
		case "", "healthy":
			if hasArg {
				return Scenario{}, fmt.Errorf("scenario %s: %s takes no step", safetext.Excerpt(part), name)
			}
		case "precheck-fail", "pre-check-fail":
			if hasArg {
				return Scenario{}, fmt.Errorf("scenario %s: precheck-fail takes no step", safetext.Excerpt(part))
			}
			sc.precheckFail = true
		case "slow":
			if hasArg {
				return Scenario{}, fmt.Errorf("scenario %s: slow takes no step", safetext.Excerpt(part))
			}
			sc.slow = true
		case "fail-once", "hang", "rollback-fail":
			if arg == "" {
				return Scenario{}, fmt.Errorf("scenario %s: %s needs a step, as in %s:wait-observer-active", safetext.Excerpt(part), name, name)
			}
			m := lookupStep(arg)
			if m == 0 {
				return Scenario{}, fmt.Errorf("scenario %s: unknown step %s; steps are: %s", safetext.Excerpt(part), safetext.Excerpt(arg), strings.Join(StepNames(), ", "))
			}
			switch name {
			case "hang":
				sc.hang |= m
			case "rollback-fail":
				sc.rollbackFail |= m
			default:
				sc.failOnce |= m
			}
		default:
			return Scenario{}, fmt.Errorf("scenario %s: unknown scenario %s; use healthy, fail-once:STEP, hang:STEP, rollback-fail:STEP, precheck-fail or slow", safetext.Excerpt(part), safetext.Excerpt(name))
		}
	}
	return sc, nil
}

// MustParseScenario is ParseScenario for literals known to be valid.
func MustParseScenario(s string) Scenario {
	sc, err := ParseScenario(s)
	if err != nil {
		panic(err)
	}
	return sc
}

// String is the scenario as it was written ("healthy" when empty).
func (s Scenario) String() string {
	if s.text == "" {
		return "healthy"
	}
	return s.text
}

// Healthy reports whether the scenario changes nothing.
func (s Scenario) Healthy() bool {
	return s.failOnce == 0 && s.hang == 0 && s.rollbackFail == 0 && !s.precheckFail && !s.slow
}
