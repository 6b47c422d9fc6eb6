package arena

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/merchantarena/merchantarena/candidates/mutants"
	"github.com/merchantarena/merchantarena/results"
)

// NoDefect is the defect kind of golden and of every build that announces
// none: the control, whose catches are false alarms.
const NoDefect = "none"

// SensitivityReport says, for one run of reference builds, how many
// sessions of each defect kind each judge caught.
type SensitivityReport struct {
	Run string `json:"run"`
	// Defects maps a defect kind (NoDefect for golden) to its sessions and
	// builds.
	Defects map[string]DefectSessions `json:"defects"`
	// Judges maps a judge to the sessions it caught, by defect kind:
	// "procedural:<kind>" (stage 1 found a finding of that kind),
	// "procedural:any" (any gating finding), "arena:status" (the session
	// errored or timed out) and "llm:<criterion>" (scored below the top).
	Judges map[string]map[string]int `json:"judges"`
	// Missed lists the defect kinds no judge caught in every session.
	Missed []string `json:"missed"`
}

// DefectSessions are the sessions of one defect kind that show it.
type DefectSessions struct {
	Sessions int      `json:"sessions"`
	Builds   []string `json:"builds"` // name@version, in session order
}

// Sensitivity counts, per defect kind, the sessions of a run that show
// their build's defect, and those each judge caught. A build's defect is
// the one its metadata announces (mutants.MetaDefect), else the one the
// reference mutant of its name declares, else NoDefect. A mutant session
// identical to golden's for the same persona and trial never triggered
// its defect and is left out (see defectExpressed); cancelled sessions are
// left out too. withLLM adds the LLM judges' criteria as judges.
func Sensitivity(ctx context.Context, db *results.DB, run string, withLLM bool) (SensitivityReport, error) {
	defects, err := buildDefects(ctx, db)
	if err != nil {
		return SensitivityReport{}, err
	}
	sessions, err := db.SessionScores(ctx, run)
	if err != nil {
		return SensitivityReport{}, err
	}
	full, err := loadSessions(ctx, db, sessions)
	if err != nil {
		return SensitivityReport{}, err
	}
	expressed := defectExpressed(sessions, full, defects)
	rep := SensitivityReport{Run: run, Defects: map[string]DefectSessions{}, Judges: map[string]map[string]int{}}
	for _, s := range sessions {
		if s.Status == results.StatusCancelled || !expressed[s.SessionID] {
			continue
		}
		build := s.Key.Candidate + "@" + s.Key.Version
		defect := defects[build]
		rep.count(defect, build)
		for _, judge := range caughtBy(full[s.SessionID], withLLM) {
			rep.catch(judge, defect)
		}
	}
	rep.Missed = missed(rep)
	return rep, nil
}

// count adds one session of build to its defect kind.
func (r *SensitivityReport) count(defect, build string) {
	d := r.Defects[defect]
	d.Sessions++
	if !slices.Contains(d.Builds, build) {
		d.Builds = append(d.Builds, build)
	}
	r.Defects[defect] = d
}

// catch counts one session of defect that judge caught.
func (r *SensitivityReport) catch(judge, defect string) {
	if r.Judges[judge] == nil {
		r.Judges[judge] = map[string]int{}
	}
	r.Judges[judge][defect]++
}

// loadSessions reads every session of the run that was not cancelled,
// once, with its messages, calls, findings and scores.
func loadSessions(ctx context.Context, db *results.DB, sessions []results.SessionScore) (map[int64]results.Session, error) {
	out := map[int64]results.Session{}
	for _, s := range sessions {
		if s.Status == results.StatusCancelled {
			continue
		}
		full, err := db.Session(ctx, s.SessionID)
		if err != nil {
			return nil, err
		}
		out[s.SessionID] = full
	}
	return out, nil
}

// caughtBy lists the judges that caught something in a session: each
// stage-1 finding kind, any gating finding, an error or timeout, and (with
// withLLM) each LLM criterion scored below the top.
func caughtBy(s results.Session, withLLM bool) []string {
	seen := map[string]bool{}
	for _, f := range s.Findings {
		seen["procedural:"+f.Kind] = true
		if f.Gate {
			seen["procedural:any"] = true
		}
	}
	if s.Status == results.StatusError || s.Status == results.StatusTimeout {
		seen["arena:status"] = true
	}
	for _, sc := range s.Scores {
		if withLLM && sc.Judge == "llm" && sc.Score < 1 {
			name, _, _ := strings.Cut(sc.Criterion, "/")
			seen["llm:"+name] = true
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// defectExpressed says which sessions show their build's defect. A
// mutant replays the log with one defect that some conversations never
// trigger (tag-hacker changes only field filters): a mutant session whose
// messages and tool calls are exactly golden's for the same persona and
// trial showed no defect, and no judge should catch it. Without golden in
// the run every session counts; golden's own sessions always count, as the
// control.
func defectExpressed(sessions []results.SessionScore, full map[int64]results.Session, defects map[string]string) map[int64]bool {
	prints := map[int64]string{}
	golden := map[string]string{}
	for _, s := range sessions {
		f, ok := full[s.SessionID]
		if !ok {
			continue
		}
		prints[s.SessionID] = fingerprint(f)
		if defects[s.Key.Candidate+"@"+s.Key.Version] == NoDefect {
			golden[fmt.Sprintf("%s/%d", s.Key.Persona, s.Key.Trial)] = prints[s.SessionID]
		}
	}
	out := map[int64]bool{}
	for _, s := range sessions {
		g, ok := golden[fmt.Sprintf("%s/%d", s.Key.Persona, s.Key.Trial)]
		out[s.SessionID] = defects[s.Key.Candidate+"@"+s.Key.Version] == NoDefect || !ok || s.Status != results.StatusOK || prints[s.SessionID] != g
	}
	return out
}

// fingerprint is what a build did in a session: its messages and the
// calls the sandbox recorded.
func fingerprint(s results.Session) string {
	b, _ := json.Marshal(struct { // plain strings and structs always marshal
		M []results.Message
		C []string
	}{s.Messages, callTexts(s.ToolCalls)})
	return string(b)
}

func callTexts(calls []results.ToolCall) []string {
	out := make([]string, len(calls))
	for i, c := range calls {
		out[i] = c.Tool + " " + c.Arguments + " " + c.Result + " " + c.Error
	}
	return out
}

// buildDefects maps each build to the defect its metadata announces
// (NoDefect for golden and builds without one). The results file keeps no
// micro metadata for reference builds, so the mutants' own declarations
// are read, by build name.
func buildDefects(ctx context.Context, db *results.DB) (map[string]string, error) {
	cs, err := db.Candidates(ctx)
	if err != nil {
		return nil, err
	}
	declared := map[string]string{}
	for _, b := range mutants.Builds(mutants.NewLibrary(nil)) {
		declared[b.Name] = b.Metadata[mutants.MetaDefect]
	}
	out := map[string]string{}
	for _, c := range cs {
		var meta map[string]string
		_ = json.Unmarshal(c.Metadata, &meta) // metadata that is not a string map names no defect
		d := meta[mutants.MetaDefect]
		if d == "" {
			d = declared[c.Name]
		}
		if d == "" {
			d = NoDefect
		}
		out[c.Name+"@"+c.Version] = d
	}
	return out, nil
}

// missed lists the defect kinds (NoDefect aside) that no judge caught in
// every session.
func missed(rep SensitivityReport) []string {
	out := []string{}
	for defect, d := range rep.Defects {
		if defect == NoDefect {
			continue
		}
		best := 0
		for _, caught := range rep.Judges {
			best = max(best, caught[defect])
		}
		if best < d.Sessions {
			out = append(out, defect)
		}
	}
	sort.Strings(out)
	return out
}
