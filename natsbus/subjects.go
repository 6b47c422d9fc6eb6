package natsbus

import (
	"fmt"
	"regexp"
	"strings"
)

// Every NATS subject and micro metadata key the arena uses is spelled here
// and nowhere else.
const (
	// MetaKind is the micro metadata key that says what a service is.
	MetaKind = "arena.kind"
	// KindCandidate marks a build under test.
	KindCandidate = "candidate"
	// KindSandbox marks a sandbox service.
	KindSandbox = "sandbox"

	// TurnEndpoint is the candidate endpoint that plays one assistant turn.
	TurnEndpoint = "turn"
	// CallEndpoint is the sandbox endpoint that runs one tool call.
	CallEndpoint = "call"
	// ToolsEndpoint is the sandbox endpoint that lists the tool schemas.
	ToolsEndpoint = "tools"

	candidatePrefix = "arena.cand."
	sandboxPrefix   = "arena.sandbox."
)

var nameRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// CheckName reports whether name can be a build or instance name: micro
// service names and subject tokens allow only letters, digits, '-' and '_'.
func CheckName(name string) error {
	if !nameRE.MatchString(name) {
		return fmt.Errorf("name %q: use only letters, digits, '-' and '_'", name)
	}
	return nil
}

// CandidateGroup is the micro group of one version of a build: each gets its
// own prefix, so two builds, or two versions of one build (the release
// candidate beside production), never share a subject or queue group.
// Dots and pluses of the version become underscores: a subject token holds
// neither.
func CandidateGroup(build, version string) string {
	return candidatePrefix + build + ".v" + versionToken.Replace(version)
}

var versionToken = strings.NewReplacer(".", "_", "+", "_", "*", "_", ">", "_", " ", "_")

// CandidateTurn is the subject of a build version's turn endpoint.
func CandidateTurn(build, version string) string {
	return CandidateGroup(build, version) + "." + TurnEndpoint
}

// CandidateQueue is the queue group the replicas of one build version
// share.
func CandidateQueue(build, version string) string { return CandidateGroup(build, version) }

// SandboxGroup is the micro group of one sandbox instance. Sessions live in
// one instance, so each instance has its own subjects.
func SandboxGroup(instance string) string { return sandboxPrefix + instance }

// SandboxCall is the subject of an instance's call endpoint.
func SandboxCall(instance string) string { return SandboxGroup(instance) + "." + CallEndpoint }

// SandboxTools is the subject of an instance's tools endpoint.
func SandboxTools(instance string) string { return SandboxGroup(instance) + "." + ToolsEndpoint }
