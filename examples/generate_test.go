package examples_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/transcript"
)

var update = flag.Bool("update", false, "rewrite the bundled JSONL files from the scripts")

// script is one conversation as it is written by hand: merchant and
// assistant turns and the assistant's tool calls, without their results.
// The generator runs the calls in order on a fresh fixture and writes the
// results the sandbox really returns.
type script struct {
	id        string
	file      string // JSONL file the conversation goes to, without .jsonl
	role      string // who the merchant is: owner, marketing lead, ...
	tone      string
	expertise string
	skills    []string // one per goal, in goal order
	steps     []step
}

// step is one message: a merchant message, or an assistant message with
// text, tool calls or both.
type step struct {
	role  transcript.Role
	text  string
	calls []call
}

// call is one tool call. fails says the sandbox must refuse it: the script
// shows the assistant reading the error and recovering.
type call struct {
	tool, args string
	fails      bool
}

func merchant(text string) step { return step{role: transcript.RoleUser, text: text} }

func say(text string) step { return step{role: transcript.RoleAssistant, text: text} }

// act is an assistant message that calls tools, with optional text before
// the calls.
func act(text string, calls ...call) step {
	return step{role: transcript.RoleAssistant, text: text, calls: calls}
}

func use(tool, args string) call { return call{tool: tool, args: args} }

func refused(tool, args string) call { return call{tool: tool, args: args, fails: true} }

// scripts is every conversation, in the order the files list them.
func scripts() []script {
	return slices.Concat(customerScripts, segmentScripts, catalogScripts, orderScripts,
		discountScripts, salesScripts, mixedScripts)
}

// systemPrompt is the production assistant's system message, filled from
// the fixture so that the shop's name and clock stay right.
func systemPrompt(s *sandbox.Store) string {
	return fmt.Sprintf("You are the admin assistant of %s (%s), a Canadian outdoor-apparel shop that sells in %s. "+
		"You help the shop's owner and staff look up customers, orders and sales, and manage products, customer segments "+
		"and discount codes with the tools provided. Today is %s. Look facts up before you state them, "+
		"ask when a request is ambiguous, and say exactly what you changed.",
		s.Shop.Name, s.Shop.Domain, s.Shop.Currency, s.Now.Format("2006-01-02"))
}

// build turns a script into a conversation by running its calls.
func build(sc script) (transcript.Conversation, error) {
	store := sandbox.Fixture()
	conv := transcript.Conversation{
		ID:       sc.id,
		Messages: []transcript.Message{{Role: transcript.RoleSystem, Content: systemPrompt(store)}},
		Tools:    sandbox.Tools(),
		Metadata: metadata(sc, store),
	}
	n := 0
	for i, st := range sc.steps {
		m := transcript.Message{Role: st.role, Content: st.text}
		var results []transcript.Message
		for _, c := range st.calls {
			n++
			tc, res, err := runCall(store, callID(sc.id, n), c)
			if err != nil {
				return conv, fmt.Errorf("%s: step %d: %w", sc.id, i+1, err)
			}
			m.ToolCalls = append(m.ToolCalls, tc)
			results = append(results, res)
		}
		conv.Messages = append(conv.Messages, m)
		conv.Messages = append(conv.Messages, results...)
	}
	return conv, nil
}

func metadata(sc script, store *sandbox.Store) map[string]any {
	skills := make([]any, len(sc.skills))
	for i, s := range sc.skills {
		skills[i] = s
	}
	md := map[string]any{"shop": store.Shop.Name, "industry": "outdoor apparel", "role": sc.role, "skills": skills}
	if sc.tone != "" {
		md["tone"] = sc.tone
	}
	if sc.expertise != "" {
		md["expertise"] = sc.expertise
	}
	return md
}

// runCall runs one call and returns it with its tool result message.
func runCall(store *sandbox.Store, id string, c call) (transcript.ToolCall, transcript.Message, error) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(c.args)); err != nil {
		return transcript.ToolCall{}, transcript.Message{}, fmt.Errorf("%s arguments: %w", c.tool, err)
	}
	tc := transcript.ToolCall{ID: id, Type: "function",
		Function: transcript.FunctionCall{Name: c.tool, Arguments: buf.String()}}
	res := transcript.Message{Role: transcript.RoleTool, ToolCallID: id, Name: c.tool}
	out, err := store.Call(c.tool, json.RawMessage(buf.Bytes()))
	var te *sandbox.ToolError
	switch {
	case err == nil && c.fails:
		return tc, res, fmt.Errorf("%s %s: succeeded, the script expects a refusal", c.tool, buf.String())
	case err == nil:
		res.Content = string(out)
	case !c.fails || !errors.As(err, &te):
		return tc, res, fmt.Errorf("%s %s: %w", c.tool, buf.String(), err)
	default:
		res.Content, res.Error = te.Message, true
	}
	return tc, res, nil
}

// callID makes an OpenAI-looking call ID that is stable across runs.
func callID(conv string, n int) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s/%d", conv, n))
	return "call_" + hex.EncodeToString(sum[:12])
}

// render writes the conversations of every file as JSONL, one line each.
func render(scs []script) (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, sc := range scs {
		conv, err := build(sc)
		if err != nil {
			return nil, err
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(conv); err != nil {
			return nil, fmt.Errorf("%s: encode: %w", sc.id, err)
		}
		name := sc.file + ".jsonl"
		out[name] = append(out[name], b.Bytes()...)
	}
	return out, nil
}

// TestGenerate builds the bundled JSONL from the scripts. With -update it
// rewrites the files; without, it fails when a committed file differs from
// what the scripts and the current sandbox produce.
func TestGenerate(t *testing.T) {
	scs := scripts()
	checkScripts(t, scs)
	files, err := render(scs)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		if *update {
			if err := os.WriteFile(name, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatalf("%v; run go test ./examples -run TestGenerate -update", err)
		}
		if line, ok := firstDiff(want, got); !ok {
			t.Errorf("%s line %d differs from what the scripts produce; run go test ./examples -run TestGenerate -update", name, line)
		}
	}
	if !*update {
		return
	}
	// Remove files no script writes any more.
	for _, name := range listJSONL(t) {
		if _, ok := files[name]; !ok {
			if err := os.Remove(name); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// checkScripts catches authoring slips the JSONL would hide: reused IDs and
// reused openings (the golden build finds its log by the merchant's words).
func checkScripts(t *testing.T, scs []script) {
	t.Helper()
	ids, openings := map[string]bool{}, map[string]string{}
	for _, sc := range scs {
		if ids[sc.id] {
			t.Errorf("script id %s is used twice", sc.id)
		}
		ids[sc.id] = true
		if len(sc.steps) == 0 || sc.steps[0].role != transcript.RoleUser {
			t.Errorf("%s: the merchant must speak first", sc.id)
			continue
		}
		if other, ok := openings[sc.steps[0].text]; ok {
			t.Errorf("%s opens like %s", sc.id, other)
		}
		openings[sc.steps[0].text] = sc.id
		if sc.file == "" || len(sc.skills) == 0 {
			t.Errorf("%s: needs a file and skills", sc.id)
		}
	}
}

func firstDiff(want, got []byte) (int, bool) {
	if bytes.Equal(want, got) {
		return 0, true
	}
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := range min(len(w), len(g)) {
		if w[i] != g[i] {
			return i + 1, false
		}
	}
	return min(len(w), len(g)) + 1, false
}

func listJSONL(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".jsonl") {
			out = append(out, e.Name())
		}
	}
	return out
}
