// Package results owns Merchant Arena's SQLite results file: its schema and
// migrations, the one writer that records sessions, and the queries and views
// that answer the common questions (leaderboard, session_scores, violations).
//
// A file is opened with [Open], which turns on WAL, foreign keys and
// immediate write transactions, and migrates it to the schema this build
// knows (PRAGMA user_version). Writes go through one connection; queries use
// a separate read-only pool, so a leaderboard can be read while sessions are
// being recorded.
//
// Sessions are keyed by (run, persona, candidate name and version, trial).
// [DB.WriteSessions] is idempotent on that key, so a verdict that is
// redelivered or replayed after a crash is written once. [Writer] batches a
// stream of sessions for a single goroutine that owns the writes.
//
// The views are part of the contract: `sqlite3 arena.db 'select * from
// leaderboard'` shows the same ranking as [DB.Leaderboard], which reads the
// view. Every statement takes its values as ? arguments.
//
// results imports transcript and go-sqlite3; it knows nothing of NATS, and it
// never logs: errors are returned, never printed, so nothing it stores (run
// configs, transcripts) can leak into logs from here.
package results
