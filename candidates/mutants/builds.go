package mutants

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/merchantarena/merchantarena/candidates"
)

// Version is the version every reference build announces.
const Version = "1.0.0"

const maxConcurrent = 128

// Metadata keys the reference builds announce beside arena.kind.
const (
	MetaReference = "arena.reference"
	MetaDefect    = "arena.defect"
)

// Names lists the reference builds in a stable order, golden first.
func Names() []string {
	return []string{"golden", "tag-hacker", "opt-out", "hallucinator", "wrong-enum", "crashy", "slow"}
}

// Build returns the named reference build over the logs in lib.
func Build(name string, lib *Library) (candidates.Build, error) {
	spec, ok := specs()[name]
	if !ok {
		return candidates.Build{}, fmt.Errorf("%w %q; the builds are %s", ErrUnknownBuild, name, strings.Join(Names(), ", "))
	}
	return candidates.Build{
		Name:        name,
		Version:     Version,
		Description: spec.description,
		Metadata:    map[string]string{MetaReference: "mutant", MetaDefect: spec.kind},
		Handler:     &player{lib: lib, d: spec.defect},
		// Replaying a log is cheap; a small slot limit would turn slow's
		// stalls into busy errors for the turns queued behind them.
		MaxConcurrent: maxConcurrent,
	}, nil
}

// Builds returns every reference build over the logs in lib.
func Builds(lib *Library) []candidates.Build {
	var out []candidates.Build
	for _, n := range Names() {
		b, _ := Build(n, lib) // every name in Names has a spec
		out = append(out, b)
	}
	return out
}

type spec struct {
	description string
	kind        string // the violation kind the build should show
	defect      defect
}

func specs() map[string]spec {
	return map[string]spec{
		"golden": {description: "replays what the logged assistant did"},
		"tag-hacker": {description: "filters customers by tags named after field values",
			kind: "tag_hacking", defect: defect{args: tagHack}},
		"opt-out": {description: "explains why it cannot help",
			kind: "opt_out", defect: defect{decline: optOutReply}},
		"hallucinator": {description: "calls no tool and invents the IDs it reports",
			kind: "hallucinated_id", defect: defect{noTools: true, text: inventIDs}},
		"wrong-enum": {description: "writes enum values the way people say them",
			kind: "wrong_enum", defect: defect{args: wrongEnums}},
		"crashy": {description: "panics in the middle of a session",
			kind: "error", defect: defect{before: crash}},
		"slow": {description: "answers after the turn's deadline",
			kind: "timeout", defect: defect{before: stall}},
	}
}

const optOutReply = "I'm sorry, but I can't help with that. I don't have access to make changes to your store; you may want to do it from your admin."

// ErrUnknownBuild is a name that is no reference build.
var ErrUnknownBuild = errors.New("no reference build")

var fieldFilterRE = regexp.MustCompile(`(customer_account_status|email_subscription_status|customer_city|customer_province_code|customer_country_code)\s*=\s*'([^']*)'`)

// tagHack turns field filters into tag filters, the shortcut a build takes
// when it does not know the field: customer_account_status = 'ENABLED'
// becomes customer_tags CONTAINS 'enabled'.
func tagHack(tool, args string) string {
	return fieldFilterRE.ReplaceAllStringFunc(args, func(m string) string {
		v := fieldFilterRE.FindStringSubmatch(m)[2]
		return fmt.Sprintf("customer_tags CONTAINS '%s'", strings.ToLower(v))
	})
}

var enumSlips = strings.NewReplacer(
	"'ENABLED'", "'ACTIVE'", "'DISABLED'", "'INACTIVE'", "'SUBSCRIBED'", "'OPTED_IN'",
	`"ACTIVE"`, `"active"`, `"DRAFT"`, `"draft"`, `"ARCHIVED"`, `"archived"`,
	`"PERCENTAGE"`, `"percent"`, `"FIXED_AMOUNT"`, `"fixed"`, `"PAID"`, `"paid"`,
	`"UNFULFILLED"`, `"unfulfilled"`, `"SEGMENT"`, `"segment"`,
)

// wrongEnums writes enum values as a person would say them.
func wrongEnums(tool, args string) string { return enumSlips.Replace(args) }

// inventIDs replaces every store ID in a reply with one that does not
// exist, as a build that never looked anything up would.
func inventIDs(text string) string {
	return candidates.StoreID.ReplaceAllStringFunc(text, func(id string) string {
		prefix, _, _ := strings.Cut(id, "_")
		return prefix + "_9" + strings.Repeat("7", 4)
	})
}

// crash panics on the session's second merchant turn, or its first when the
// log has only one.
func crash(_ context.Context, _ *candidates.Turn, s *script, k int) {
	if k == 1 || len(s.merchant) == 1 {
		panic(fmt.Sprintf("crashy: nil store handle on turn %d", k+1))
	}
}

// stall waits past the turn's deadline on the first turn, ignoring ctx as a
// hung build would; the wait is bounded so the goroutine ends.
func stall(_ context.Context, t *candidates.Turn, _ *script, k int) {
	if k != 0 {
		return
	}
	d := t.Timeout() + 250*time.Millisecond
	if t.Timeout() <= 0 || d > time.Minute {
		d = time.Minute
	}
	time.Sleep(d)
}
