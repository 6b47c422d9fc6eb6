// Package mutants holds the reference builds: deterministic assistants
// derived from logged conversations. golden replays what the logged
// assistant really did, calling every tool through the session's sandbox;
// each other build does the same with one known defect, so that a sound
// arena ranks golden first and gives every mutant its own violation kind:
//
//	golden        the logged assistant, faithfully
//	tag-hacker    filters on customer_tags where the log filtered on a field
//	opt-out       declines every request
//	hallucinator  calls no tool and invents the IDs it reports
//	wrong-enum    misspells enum values in queries and arguments
//	crashy        panics mid-session
//	slow          answers after the turn's deadline
//
// The builds use only the public candidates SDK, like an outside build.
package mutants
