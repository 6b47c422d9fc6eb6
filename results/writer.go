package results

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Writer batches a stream of sessions into WriteSessions calls. One
// goroutine, started by NewWriter and stopped by Close, owns the writes: a
// batch is written when it reaches the batch size, when flushEvery has passed
// since the last write, on Flush, and on Close.
//
// Add only queues a session; a write error does not reach Add. It is kept
// and returned by the next Flush or by Close, joined with any others since
// the last report, so check both. Sessions of a failed batch are not
// retried (WriteSessions already retried SQLITE_BUSY); a caller that must
// know which sessions were committed, such as a recorder that acks NATS
// messages after commit, calls DB.WriteSessions itself.
//
// Writes use a context that Close does not cancel, so Close always flushes;
// each write is bounded by SQLite's busy timeout and retries.
type Writer struct {
	db         *DB
	batchSize  int
	flushEvery time.Duration

	in      chan Session
	flushCh chan chan error
	done    chan struct{}

	mu     sync.RWMutex // guards closed against a send on a closed channel
	closed bool

	pending []Session
	errs    []error // write errors not yet reported; owned by the goroutine
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
		in:         make(chan Session, batchSize),
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
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.closed {
		return ErrWriterClosed
	}
	w.in <- s
	return nil
}

// Flush writes every session added before the call and returns the write
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
		case s, ok := <-w.in:
			if !ok {
				w.write()
				return
			}
			w.add(s)
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

func (w *Writer) add(s Session) {
	w.pending = append(w.pending, s)
	if len(w.pending) >= w.batchSize {
		w.write()
	}
}

// drain takes every session already queued: select picks among ready
// channels at random, so a Flush may arrive before sessions that were
// added ahead of it.
func (w *Writer) drain() {
	for {
		select {
		case s, ok := <-w.in:
			if !ok {
				return
			}
			w.add(s)
		default:
			return
		}
	}
}

func (w *Writer) write() {
	if len(w.pending) == 0 {
		return
	}
	if err := w.db.WriteSessions(context.Background(), w.pending); err != nil {
		w.errs = append(w.errs, err)
	}
	w.pending = w.pending[:0]
}
