package results_test

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/results"
)

// TestNoLogging checks that results never logs or prints: run configs,
// persona cards and transcripts pass through it, and whatever it printed
// could leak a secret the caller failed to redact. Errors are returned.
func TestNoLogging(t *testing.T) {
	t.Run("SourceImportsNoLoggerAndPrintsNothing", func(t *testing.T) {
		files, err := filepath.Glob("*.go")
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range f.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				if path == "log" || path == "log/slog" || strings.Contains(path, "charmbracelet/log") {
					t.Errorf("%s imports %s", name, path)
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok {
					if x, ok := sel.X.(*ast.Ident); ok && (x.Name == "fmt" && strings.HasPrefix(sel.Sel.Name, "Print") ||
						x.Name == "os" && (sel.Sel.Name == "Stderr" || sel.Sel.Name == "Stdout")) {
						t.Errorf("%s: %s.%s", fset.Position(sel.Pos()), x.Name, sel.Sel.Name)
					}
				}
				if id, ok := n.(*ast.Ident); ok && (id.Name == "println" || id.Name == "print") {
					t.Errorf("%s: %s", fset.Position(id.Pos()), id.Name)
				}
				return true
			})
		}
	})

	t.Run("WorkflowWritesNothingToLogsOrStderr", func(t *testing.T) {
		var logged bytes.Buffer
		oldSlog, oldLog := slog.Default(), log.Writer()
		slog.SetDefault(slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug})))
		log.SetOutput(&logged)
		defer func() { slog.SetDefault(oldSlog); log.SetOutput(oldLog) }()
		stderr := captureStderr(t)

		secret := "sk-live-do-not-print"
		db := MustOpenDB(t)
		ctx := t.Context()
		if _, err := db.BeginRun(ctx, results.Run{ID: "r1", Config: json.RawMessage(`{"key":"` + secret + `"}`)}); err != nil {
			t.Fatal(err)
		}
		s := fullSession(key("r1", "p1", "golden", 0), 4, 2, 1)
		s.Messages[0].Content = secret
		bad := s
		bad.Key.Trial, bad.Status = 1, secret
		_ = db.WriteSessions(ctx, []results.Session{s, bad}) // the error is expected and checked elsewhere
		_ = db.WriteLLMCalls(ctx, "r1", []llm.Call{{Role: llm.RoleJudge, Err: secret, Retries: -1}})
		_ = db.WriteLLMCalls(ctx, "r1", []llm.Call{{Role: llm.RoleJudge, Err: secret}, {Model: secret}})
		_ = db.LLMCache().Put(ctx, "k", "m", []byte(secret))
		_, _, _ = db.LLMCache().Get(ctx, "k")
		_, _ = db.RunUsage(ctx, "r1")
		_, _ = db.Leaderboard(ctx, "r1")
		_, _ = db.Violations(ctx, "r1")
		_, _ = db.Session(ctx, 12345)
		_, _ = results.Open(ctx, "")

		if got := stderr(); got != "" {
			t.Errorf("results wrote to stderr:\n%s", got)
		}
		if logged.Len() > 0 {
			t.Errorf("results logged:\n%s", logged.String())
		}
	})
}

// captureStderr redirects os.Stderr until the returned func is called,
// which restores it and returns what was written.
func captureStderr(t *testing.T) func() string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stderr
	os.Stderr = w
	done := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		done <- string(b)
	}()
	restored := false
	restore := func() string {
		if restored {
			return ""
		}
		restored = true
		os.Stderr = old
		w.Close()
		return <-done
	}
	t.Cleanup(func() { restore() })
	return restore
}
