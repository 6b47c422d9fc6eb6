// Package results owns Merchant Arena's SQLite results file: its schema and
// migrations, the one writer that records sessions and LLM calls, the LLM
// reply cache, and the queries and views that answer the common questions
// (leaderboard, session_scores, violations, run_usage).
//
// A file is opened with [Open], which turns on WAL, foreign keys and
// immediate write transactions, and migrates it to the schema this build
// knows (PRAGMA user_version; v1 is the offline arena, v2 adds the LLM
// path). Writes go through one connection; queries use a separate
// read-only pool, so a leaderboard can be read while sessions are being
// recorded.
//
// Sessions are keyed by (run, persona, candidate name and version, trial).
// [DB.WriteSessions] is idempotent on that key, so a verdict that is
// redelivered or replayed after a crash is written once. Each session
// records who played the merchant ([SimulatorInfo]) and may be flagged as a
// simulator fault: the merchant's failure, which the leaderboard counts
// apart instead of charging it to the build.
//
// Every LLM call is logged ([DB.WriteLLMCalls], or with its session in
// [Session.LLMCalls]), so a run resumed after a crash keeps its spend;
// [DB.RunUsage] sums it per role. [DB.LLMCache] is the reply cache to hand
// to llm.Config.Cache. The arena's recorder is the one writer: it batches
// what the results stream brings into [DB.WriteSessions] transactions.
//
// The views are part of the contract: `sqlite3 arena.db 'select * from
// leaderboard'` shows the same ranking as [DB.Leaderboard], which reads the
// view, and `select * from run_usage` the same sums as [DB.RunUsage]. Every
// statement takes its values as ? arguments.
//
// results imports transcript, and llm for its call and totals types only;
// it knows nothing of NATS and sends no LLM request. It never logs: errors
// are returned, never printed, so nothing it stores (run configs,
// transcripts, cached replies) can leak into logs from here.
package results
