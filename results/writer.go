package results

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/merchantarena/merchantarena/llm"
)

// Writer batches a stream of sessions and LLM calls into write
// transactions. One goroutine, started by NewWriter and stopped by Close,
// owns the writes: a batch, sessions and calls together in one
// transaction, is written when it reaches the batch size (sessions plus
// calls), when flushEvery has passed since the last write, on Flush, and
// on Close. A crash loses only what was added since the last write: with
// a timed flush, a run that logs its calls here loses at most the last
// flushEvery of its spend.
//
// Add and AddCall only queue; a write error does not reach them. It is kept
// and returned by the next Flush or by Close, joined with any others since
// the last report, so check both. Records of a failed batch are not
// retried (the write already retried SQLITE_BUSY); a caller that must
// know which sessions were committed, such as a recorder that acks NATS
// messages after commit, calls DB.WriteSessions itself.
//
// Writes use a context that Close does not cancel, so Close always flushes;
// each write is bounded by SQLite's busy timeout and retries.
type Writer struct {
	db         *DB
	batchSize  int
	flushEvery time.Duration

	in      chan entry
	flushCh chan chan error
	done    chan struct{}

	mu     sync.RWMutex // guards closed against a send on a closed channel
	closed bool

	sessions []Session // pending; owned by the goroutine
	calls    []runCall // pending; owned by the goroutine
	errs     []error   // write errors not yet reported; owned by the goroutine
}

// entry is one queued record: a session, or an LLM call when call is set.
type entry struct {
	session Session
	call    *runCall
}

// NewWriter starts a Writer on db. batchSize below 1 becomes 100; a
// flushEvery of zero or less means no timed flush (only full batches, Flush
// and Close write).
func NewWriter(db *DB, batchSize int, flushEvery time.Duration) *Writer {
	if batchSize < 1 {
		batchSize = 100
	}
	w := &Writer{
		db:         db,
		batchSize:  batchSize,
		flushEvery: flushEvery,
		in:         make(chan entry, batchSize),
		flushCh:    make(chan chan error),
		done:       make(chan struct{}),
	}
	go w.loop()
	return w
}

// Add queues s for writing. It blocks while the queue (one batch) is full,
// which slows a producer down to the speed of the file. It returns
// ErrWriterClosed after Close.
func (w *Writer) Add(s Session) error {
	return w.send(entry{session: s})
}

// AddCall queues an LLM call of run for the call log, like
// DB.WriteLLMCalls; llm.Config.OnCall can hand calls straight here. It
// blocks as Add does, and returns ErrWriterClosed after Close.
func (w *Writer) AddCall(run string, c llm.Call) error {
	return w.send(entry{call: &runCall{run: run, Call: c}})
}

func (w *Writer) send(e entry) error {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.closed {
		return ErrWriterClosed
	}
	w.in <- e
	return nil
}

// Flush writes every session and call added before the call and returns the write
// errors since the last Flush, joined. It returns ErrWriterClosed after
// Close, and ctx's error if ctx ends first (the flush still happens).
func (w *Writer) Flush(ctx context.Context) error {
	reply := make(chan error, 1)
	select {
	case w.flushCh <- reply:
	case <-w.done:
		return ErrWriterClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-reply:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close writes what is queued, stops the goroutine and returns the write
// errors not yet returned by Flush. Calling Close again returns nil.
func (w *Writer) Close() error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	close(w.in)
	w.mu.Unlock()
	<-w.done
	return errors.Join(w.errs...)
}

func (w *Writer) loop() {
	defer close(w.done)
	var tick <-chan time.Time
	if w.flushEvery > 0 {
		t := time.NewTicker(w.flushEvery)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case e, ok := <-w.in:
			if !ok {
				w.write()
				return
			}
			w.add(e)
		case <-tick:
			w.write()
		case reply := <-w.flushCh:
			w.drain()
			w.write()
			reply <- errors.Join(w.errs...)
			w.errs = nil
		}
	}
}

func (w *Writer) add(e entry) {
	if e.call != nil {
		w.calls = append(w.calls, *e.call)
	} else {
		w.sessions = append(w.sessions, e.session)
	}
	if len(w.sessions)+len(w.calls) >= w.batchSize {
		w.write()
	}
}

// drain takes every record already queued: select picks among ready
// channels at random, so a Flush may arrive before records that were
// added ahead of it.
func (w *Writer) drain() {
	for {
		select {
		case e, ok := <-w.in:
			if !ok {
				return
			}
			w.add(e)
		default:
			return
		}
	}
}

func (w *Writer) write() {
	if len(w.sessions)+len(w.calls) == 0 {
		return
	}
	if err := w.db.write(context.Background(), w.sessions, w.calls); err != nil {
		w.errs = append(w.errs, err)
	}
	// clear drops the sessions' transcripts for the collector; the
	// backing arrays are reused.
	clear(w.sessions)
	w.sessions, w.calls = w.sessions[:0], w.calls[:0]
}
