package refagent_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/candidates/refagent"
	"github.com/merchantarena/merchantarena/llm/llmtest"
	"github.com/merchantarena/merchantarena/natsbus"
	"github.com/merchantarena/merchantarena/transcript"
)

// serve starts every build on the rig's connection and returns their
// turn subjects by name.
func (r *rig) serve(t *testing.T, bs ...candidates.Build) map[string]string {
	t.Helper()
	subjects := map[string]string{}
	for _, b := range bs {
		svc, err := candidates.Serve(r.nc, b)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { svc.Stop() })
		subjects[b.Name] = svc.Info().Subject
	}
	return subjects
}

func TestBuilds_Serve(t *testing.T) {
	t.Run("DiscoveredWithMetadata", func(t *testing.T) {
		r := newRig(t, nil)
		r.serve(t, refagent.Builds(r.client, testModel)...)
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		infos, err := candidates.Discover(ctx, r.nc)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]map[string]string{}
		for _, in := range infos {
			if in.Version != refagent.Version {
				t.Errorf("%s version %q, want %q", in.Name, in.Version, refagent.Version)
			}
			got[in.Name] = in.Metadata
		}
		want := map[string]map[string]string{}
		for _, g := range []string{"monolith", "jit"} {
			want[g] = map[string]string{
				natsbus.MetaKind: natsbus.KindCandidate, refagent.MetaReference: "refagent",
				refagent.MetaGuidance: g, refagent.MetaModel: testModel, refagent.MetaPrompt: refagent.PromptVersion,
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("discovered builds (-want +got):\n%s", diff)
		}
	})
	t.Run("TwoTurnsOverNATS", func(t *testing.T) {
		r := newRig(t, answerCount(t))
		subj := r.serve(t, refagent.JIT(r.client, testModel))["jit"]
		client := candidates.NewClient(r.nc)
		var dialogue []transcript.Message
		var replies []*candidates.TurnReply
		for turn, ask := range []string{enabledAsk, "Can you check that again?"} {
			r.sess.SetTurn(turn + 1)
			req := r.request(ask, candidates.PageContext{Page: "customers"})
			dialogue = append(dialogue, req.Messages...)
			req.Turn, req.Messages = turn+1, dialogue
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			rep, err := client.Turn(ctx, subj, &req)
			cancel()
			if err != nil {
				t.Fatalf("turn %d: %v", turn+1, err)
			}
			dialogue = append(dialogue, rep.Messages...)
			replies = append(replies, rep)
		}
		checkTwoTurns(t, r, replies)
	})
	t.Run("ModelErrorFailsTurn", func(t *testing.T) {
		r := newRig(t, llmtest.Sequence(llmtest.Status(400)))
		subj := r.serve(t, refagent.Monolith(r.client, testModel))["monolith"]
		req := r.request(enabledAsk, candidates.PageContext{})
		_, err := candidates.NewClient(r.nc).Turn(t.Context(), subj, &req)
		if !errors.Is(err, &candidates.BuildError{Code: candidates.CodeFailed}) {
			t.Errorf("err = %v, want a build error %s", err, candidates.CodeFailed)
		}
	})
}

// checkTwoTurns checks a two-turn jit session: the same answer twice, the
// query note shown on the first turn only, the history sent back to the
// model, and the calls recorded under their turns.
func checkTwoTurns(t *testing.T, r *rig, replies []*candidates.TurnReply) {
	t.Helper()
	want := countReply(fixtureCount(t, enabledArgs))
	note := queryNote(t)
	for i, rep := range replies {
		if len(rep.Messages) != 3 || rep.Messages[2].Content != want {
			t.Fatalf("turn %d reply = %+v, want a search then %q", i+1, rep.Messages, want)
		}
		if shown := strings.Contains(rep.Messages[1].Content, note); shown != (i == 0) {
			t.Errorf("turn %d: query note shown = %v, want it on the first turn only", i+1, shown)
		}
		if diff := cmp.Diff(candidates.Usage{PromptTokens: 300, CompletionTokens: 30}, rep.Usage); diff != "" {
			t.Errorf("turn %d usage (-want +got):\n%s", i+1, diff)
		}
	}
	var turns []int
	for _, c := range r.sess.Calls() {
		turns = append(turns, c.Turn)
	}
	if diff := cmp.Diff([]int{1, 2}, turns); diff != "" {
		t.Errorf("recorded call turns (-want +got):\n%s", diff)
	}
	history := r.model.Requests()[2].Messages
	wantRoles := []transcript.Role{transcript.RoleSystem, transcript.RoleUser, transcript.RoleAssistant,
		transcript.RoleTool, transcript.RoleAssistant, transcript.RoleUser}
	if diff := cmp.Diff(wantRoles, roles(history)); diff != "" {
		t.Fatalf("second turn's first request roles (-want +got):\n%s", diff)
	}
	if history[3].Content != replies[0].Messages[1].Content {
		t.Errorf("second turn sent the model %.200q as the earlier result, want %.200q",
			history[3].Content, replies[0].Messages[1].Content)
	}
}

func TestMonolith(t *testing.T) {
	t.Run("DefaultModel", func(t *testing.T) {
		r := newRig(t, nil)
		b := refagent.Monolith(r.client, "")
		if b.Name != "monolith" || b.Metadata[refagent.MetaModel] != "default" {
			t.Errorf("build %s model %q, want monolith with model default", b.Name, b.Metadata[refagent.MetaModel])
		}
		r.mustPlay(t, b, r.request("hi", candidates.PageContext{}))
		if got := r.model.Requests()[0].Model; got != llmtest.TestModel {
			t.Errorf("model sent = %q, want the client's %q", got, llmtest.TestModel)
		}
	})
	t.Run("PanicsWithoutClient", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Error("Monolith(nil, ...) did not panic")
			}
		}()
		refagent.Monolith(nil, testModel)
	})
}
