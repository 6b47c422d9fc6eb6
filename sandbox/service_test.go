package sandbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"

	"github.com/merchantarena/merchantarena/natsbus"
	"github.com/merchantarena/merchantarena/natsbus/natstest"
	"github.com/merchantarena/merchantarena/sandbox"
)

// mustStartService starts a sandbox on a fresh in-process NATS server and
// returns it with a connection for clients.
func mustStartService(tb testing.TB) (*sandbox.Service, *nats.Conn) {
	tb.Helper()
	srv := natstest.Server(tb)
	svc := sandbox.NewService(natstest.Connect(tb, srv))
	if err := svc.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := svc.Stop(); err != nil {
			tb.Error(err)
		}
	})
	return svc, natstest.Connect(tb, srv)
}

func TestService_Start(t *testing.T) {
	svc, nc := mustStartService(t)
	t.Run("Discoverable", func(t *testing.T) {
		subject, err := micro.ControlSubject(micro.InfoVerb, sandbox.ServiceName, "")
		if err != nil {
			t.Fatal(err)
		}
		msg, err := nc.Request(subject, nil, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		var info micro.Info
		if err := json.Unmarshal(msg.Data, &info); err != nil {
			t.Fatal(err)
		}
		if info.Metadata[natsbus.MetaKind] != natsbus.KindSandbox || info.Metadata["instance"] != svc.Instance {
			t.Errorf("metadata = %v", info.Metadata)
		}
		var subjects []string
		for _, e := range info.Endpoints {
			subjects = append(subjects, e.Subject)
		}
		want := []string{natsbus.SandboxCall(svc.Instance), natsbus.SandboxTools(svc.Instance)}
		if diff := cmp.Diff(want, subjects, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
			t.Errorf("endpoint subjects (-want +got):\n%s", diff)
		}
		if svc.Subject() != natsbus.SandboxCall(svc.Instance) {
			t.Errorf("Subject() = %s", svc.Subject())
		}
	})
	t.Run("ErrBadInstance", func(t *testing.T) {
		bad := sandbox.NewService(nc)
		bad.Instance = "has.dot"
		if err := bad.Start(); err == nil {
			t.Error("Start accepted an instance name with a dot")
		}
	})
	t.Run("ErrStartedTwice", func(t *testing.T) {
		if err := svc.Start(); err == nil {
			t.Error("a second Start succeeded")
		}
	})
}

func TestClient_Call(t *testing.T) {
	svc, nc := mustStartService(t)
	ss := svc.Open("session-a")
	c := sandbox.NewClient(nc, svc.Subject(), ss.Token())
	ctx := t.Context()

	ss.SetTurn(2)
	res, err := c.Call(ctx, "call_1", "get_customer", json.RawMessage(`{"customer_id":"cus_1001"}`))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := sandbox.Fixture().Call("get_customer", json.RawMessage(`{"customer_id":"cus_1001"}`))
	if string(res) != string(want) {
		t.Errorf("result over NATS differs from a direct call:\n%s\n%s", res, want)
	}

	ss.SetTurn(3)
	_, err = c.Call(ctx, "call_2", "get_customer", json.RawMessage(`{"customer_id":"cus_9999"}`))
	var te *sandbox.ToolError
	if !errors.As(err, &te) || te.Code != sandbox.CodeNotFound || te.Message != "no customer with id cus_9999; find customers with search_customers" {
		t.Errorf("err = %#v, want the 404 as a bare *ToolError", err)
	}
	_, err = c.Call(ctx, "call_3", "create_segment", json.RawMessage(`{"name":"x"}`))
	if !errors.Is(err, &sandbox.ToolError{Code: sandbox.CodeBadRequest}) {
		t.Errorf("err = %v, want 400", err)
	}

	got := ss.Calls()
	wantCalls := []sandbox.CallRecord{
		{Seq: 1, Turn: 2, CallID: "call_1", Tool: "get_customer", Arguments: json.RawMessage(`{"customer_id":"cus_1001"}`), Result: res},
		{Seq: 2, Turn: 3, CallID: "call_2", Tool: "get_customer", Arguments: json.RawMessage(`{"customer_id":"cus_9999"}`),
			Error: te.Message, Code: sandbox.CodeNotFound},
		{Seq: 3, Turn: 3, CallID: "call_3", Tool: "create_segment", Arguments: json.RawMessage(`{"name":"x"}`),
			Error: "create_segment: invalid arguments: query: required", Code: sandbox.CodeBadRequest},
	}
	if diff := cmp.Diff(wantCalls, got, cmpopts.IgnoreFields(sandbox.CallRecord{}, "At", "Duration")); diff != "" {
		t.Errorf("recorded calls (-want +got):\n%s", diff)
	}
	for _, r := range got {
		if r.At.IsZero() || r.Duration <= 0 {
			t.Errorf("call %d: at %s, duration %s", r.Seq, r.At, r.Duration)
		}
	}
}

func TestClient_Call_Refused(t *testing.T) {
	svc, nc := mustStartService(t)
	ss := svc.Open("session-a")
	t.Run("ErrBadToken", func(t *testing.T) {
		c := sandbox.NewClient(nc, svc.Subject(), "not-a-token")
		_, err := c.Call(t.Context(), "", "list_segments", nil)
		if !errors.Is(err, &sandbox.ToolError{Code: sandbox.CodeUnauthorized}) {
			t.Errorf("err = %v, want 401", err)
		}
		if n := len(ss.Calls()); n != 0 {
			t.Errorf("a call with a bad token was recorded in a session (%d calls)", n)
		}
	})
	t.Run("ErrClosedSession", func(t *testing.T) {
		c := sandbox.NewClient(nc, svc.Subject(), ss.Token())
		if _, err := c.Call(t.Context(), "", "update_customer", json.RawMessage(`{"customer_id":"cus_1001","add_tags":["kept"]}`)); err != nil {
			t.Fatal(err)
		}
		ss.Close()
		_, err := c.Call(t.Context(), "", "list_segments", nil)
		if !errors.Is(err, &sandbox.ToolError{Code: sandbox.CodeUnauthorized}) {
			t.Errorf("err = %v, want 401", err)
		}
		if n := len(ss.Calls()); n != 1 {
			t.Errorf("%d calls recorded, want the one before Close", n)
		}
		if d := sandbox.Diff(sandbox.Fixture(), ss.Store()); len(d) != 1 {
			t.Errorf("store after close: %v, want the one tag change", d)
		}
		if d := ss.Final().ChangesFrom(sandbox.Fixture()); len(d) != 1 || d[0].Path != "customers/cus_1001/tags" {
			t.Errorf("Final: %v, want the one tag change", d)
		}
	})
	t.Run("ErrMalformedBody", func(t *testing.T) {
		msg, err := nc.Request(svc.Subject(), []byte("not json"), 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if code := msg.Header.Get(micro.ErrorCodeHeader); code != sandbox.CodeBadRequest {
			t.Errorf("code header %q, want 400", code)
		}
	})
	t.Run("ErrNoSandbox", func(t *testing.T) {
		c := sandbox.NewClient(nc, natsbus.SandboxCall("nobody"), ss.Token())
		_, err := c.Call(t.Context(), "", "list_segments", nil)
		var te *sandbox.ToolError
		if !errors.Is(err, nats.ErrNoResponders) || errors.As(err, &te) {
			t.Errorf("err = %v, want no responders and no tool error", err)
		}
	})
}

func TestClient_Tools(t *testing.T) {
	svc, nc := mustStartService(t)
	got, err := sandbox.NewClient(nc, svc.Subject(), "").Tools(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sandbox.Tools(), got); diff != "" {
		t.Errorf("tools over NATS (-want +got):\n%s", diff)
	}
	if _, err := sandbox.NewClient(nc, "some.other.subject", "").Tools(t.Context()); err == nil {
		t.Error("Tools accepted a subject that is not a sandbox's")
	}
}

// TestService_Sessions runs two sessions in parallel, each writing the
// same names; each must see only its own writes.
func TestService_Sessions(t *testing.T) {
	svc, nc := mustStartService(t)
	sessions := []*sandbox.Session{svc.Open("a"), svc.Open("b")}
	var wg sync.WaitGroup
	errs := make([]error, len(sessions))
	for i, ss := range sessions {
		wg.Go(func() {
			c := sandbox.NewClient(nc, svc.Subject(), ss.Token())
			for j := range 10 {
				args := fmt.Sprintf(`{"customer_id":"cus_1001","add_tags":["from-%s-%d"]}`, ss.Name(), j)
				if _, err := c.Call(t.Context(), "", "update_customer", json.RawMessage(args)); err != nil {
					errs[i] = err
					return
				}
			}
			for _, call := range [][2]string{
				{"create_segment", `{"name":"Mine","query":"customer_city = 'Ottawa'"}`},
				{"update_product", `{"product_id":"prod_2001","tags":["mine"],"status":"ARCHIVED"}`},
				{"update_variant", `{"variant_id":"var_3001","price":151,"compare_at_price":199}`},
				{"create_discount", `{"title":"Mine","code":"MINE10","kind":"PERCENTAGE","value":10}`},
			} {
				if _, errs[i] = c.Call(t.Context(), "", call[0], json.RawMessage(call[1])); errs[i] != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	untouched := svc.Open("reader")
	for i, ss := range sessions[:2] {
		other := sessions[1-i].Name()
		tags := ss.Store().Customers[0].Tags
		for j := range 10 {
			if own := fmt.Sprintf("from-%s-%d", ss.Name(), j); !slices.Contains(tags, own) {
				t.Errorf("session %s lacks its tag %s", ss.Name(), own)
			}
			if theirs := fmt.Sprintf("from-%s-%d", other, j); slices.Contains(tags, theirs) {
				t.Errorf("session %s has session %s's tag %s", ss.Name(), other, theirs)
			}
		}
		if n := len(ss.Calls()); n != 14 {
			t.Errorf("session %s recorded %d calls, want 14", ss.Name(), n)
		}
	}
	// Sessions share the fixture until they write: every write tool must
	// leave the shared copy as it was.
	if d := sandbox.Diff(sandbox.Fixture(), untouched.Final()); len(d) != 0 {
		t.Errorf("writing sessions changed the fixture other sessions read: %v", d)
	}
}

// TestService_ArrivalOrder sends a burst of calls to one session without
// waiting for replies; the sandbox must run them in the order sent.
func TestService_ArrivalOrder(t *testing.T) {
	svc, nc := mustStartService(t)
	ss := svc.Open("burst")
	inbox := nats.NewInbox()
	replies, err := nc.SubscribeSync(inbox)
	if err != nil {
		t.Fatal(err)
	}
	const n = 40
	for i := range n {
		body, _ := json.Marshal(sandbox.CallRequest{Token: ss.Token(), CallID: fmt.Sprint(i), Tool: "create_segment",
			Arguments: json.RawMessage(fmt.Sprintf(`{"name":"S%d","query":"number_of_orders >= %d"}`, i, i))})
		if err := nc.PublishRequest(svc.Subject(), inbox, body); err != nil {
			t.Fatal(err)
		}
	}
	for range n {
		if _, err := replies.NextMsg(5 * time.Second); err != nil {
			t.Fatal(err)
		}
	}
	for i, r := range ss.Calls() {
		var got segmentResult
		if err := json.Unmarshal(r.Result, &got); err != nil {
			t.Fatalf("call %d: %v (%s)", i, err, r.Error)
		}
		if r.CallID != fmt.Sprint(i) || got.Segment.ID != fmt.Sprintf("seg_%d", 4+i) {
			t.Errorf("call %d ran as %s and made %s", i, r.CallID, got.Segment.ID)
		}
	}
}

func TestService_Stop(t *testing.T) {
	srv := natstest.Server(t)
	nc := natstest.Connect(t, srv)
	svc := sandbox.NewService(natstest.Connect(t, srv))
	if err := svc.Start(); err != nil {
		t.Fatal(err)
	}
	ss := svc.Open("s")
	if err := svc.Stop(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	_, err := sandbox.NewClient(nc, svc.Subject(), ss.Token()).Call(ctx, "", "list_segments", nil)
	if err == nil {
		t.Fatal("a call after Stop succeeded")
	}
	if ss.Store() == nil {
		t.Error("the session's store is gone after Stop")
	}
}

func BenchmarkClient_Call(b *testing.B) {
	svc, nc := mustStartService(b)
	args := json.RawMessage(`{"customer_id":"cus_1001"}`)
	b.Run("sessions=1", func(b *testing.B) {
		c := sandbox.NewClient(nc, svc.Subject(), svc.Open("bench").Token())
		for b.Loop() {
			if _, err := c.Call(b.Context(), "", "get_customer", args); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
	})
	b.Run("sessions=parallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			c := sandbox.NewClient(nc, svc.Subject(), svc.Open("bench").Token())
			for pb.Next() {
				if _, err := c.Call(context.Background(), "", "get_customer", args); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
	})
}
