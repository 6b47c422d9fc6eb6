package arena

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/natsbus"
)

// callLog routes a model client's calls: those made for a session by the
// merchant or the judges wait for the session's verdict, which carries them
// (so they are counted once, with it); the others (persona extraction, the
// reference agents) go to the results stream at once.
type callLog struct {
	streams *natsbus.Streams
	logger  *slog.Logger
	mu      sync.Mutex
	held    map[string][]llm.Call
}

func newCallLog(s *natsbus.Streams, logger *slog.Logger) *callLog {
	return &callLog{streams: s, logger: logger, held: map[string][]llm.Call{}}
}

// add is the client's OnCall hook. run names the run of calls made for no
// session.
func (l *callLog) add(run string) func(llm.Call) {
	return func(c llm.Call) {
		if c.Session != "" && (c.Role == llm.RoleSimulator || c.Role == llm.RoleJudge) {
			l.mu.Lock()
			l.held[c.Session] = append(l.held[c.Session], c)
			l.mu.Unlock()
			return
		}
		if err := publishCalls(l.streams, run, []llm.Call{c}); err != nil {
			l.logger.Warn("llm call not recorded", "role", c.Role, "err", err)
		}
	}
}

// take returns and forgets a session's calls.
func (l *callLog) take(session string) []llm.Call {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.held[session]
	delete(l.held, session)
	return c
}

// publishCalls sends LLM calls of a run, made for no recorded session, to
// the recorder.
func publishCalls(streams *natsbus.Streams, run string, calls []llm.Call) error {
	data, err := json.Marshal(CallsMessage{Calls: calls})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = streams.JS.Publish(ctx, natsbus.ResultSubject(run, natsbus.ResultCalls), data)
	return err
}
