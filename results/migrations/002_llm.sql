-- Schema v2: the LLM path. The reply cache (llm_cache), one row per LLM
-- call (llm_calls) and its per-run totals (run_usage); who played the
-- merchant in each session and whether the merchant spoiled it (simulator
-- faults, left out of the leaderboard); the turns an LLM judge cites.
--
-- v1 rows keep their values: every new column is NULL or a default that
-- means "not known" or "no fault".

CREATE TABLE llm_cache (
    key        TEXT PRIMARY KEY,
    model      TEXT NOT NULL DEFAULT '',
    value      BLOB NOT NULL,
    created_at TEXT NOT NULL
);

-- llm_calls: the call log, written as calls happen, so that a run resumed
-- after a crash keeps the spend of its first life. session is the session
-- key the call served, NULL for calls outside a session (extraction).
CREATE TABLE llm_calls (
    id                INTEGER PRIMARY KEY,
    run_id            TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    session           TEXT,
    role              TEXT NOT NULL,
    model             TEXT NOT NULL DEFAULT '',
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    cost              REAL NOT NULL DEFAULT 0,
    cached            INTEGER NOT NULL DEFAULT 0 CHECK (cached IN (0, 1)),
    retries           INTEGER NOT NULL DEFAULT 0,
    latency_ms        REAL,
    error             TEXT NOT NULL DEFAULT '',
    at                TEXT NOT NULL
);
CREATE INDEX llm_calls_run_role ON llm_calls (run_id, role);

-- run_usage: one row per run and role, summed as llm.Client.Totals sums
-- (a cache hit is a call and a hit and spends nothing; an error is a call
-- whose error is set).
CREATE VIEW run_usage AS
SELECT run_id                                  AS run_id,
       role                                    AS role,
       count(*)                                AS calls,
       count(*) FILTER (WHERE cached = 1)      AS cache_hits,
       sum(retries)                            AS retries,
       count(*) FILTER (WHERE error <> '')     AS errors,
       sum(prompt_tokens)                      AS prompt_tokens,
       sum(completion_tokens)                  AS completion_tokens,
       total(cost)                             AS cost
FROM llm_calls
GROUP BY run_id, role
ORDER BY run_id, role;

-- Who played the merchant (NULL in verbatim mode and in v1 rows), the
-- merchant's view of each goal at the end, and the simulator-fault flag.
ALTER TABLE sessions ADD COLUMN simulator_model TEXT;
ALTER TABLE sessions ADD COLUMN simulator_prompt TEXT;
ALTER TABLE sessions ADD COLUMN seed INTEGER;
ALTER TABLE sessions ADD COLUMN temperature REAL;
ALTER TABLE sessions ADD COLUMN goal_status TEXT
    CHECK (goal_status IS NULL OR json_valid(goal_status));
ALTER TABLE sessions ADD COLUMN simulator_fault INTEGER NOT NULL DEFAULT 0
    CHECK (simulator_fault IN (0, 1));
ALTER TABLE sessions ADD COLUMN fault_reason TEXT NOT NULL DEFAULT '';

ALTER TABLE scores ADD COLUMN cited_turns TEXT
    CHECK (cited_turns IS NULL OR json_valid(cited_turns));

-- The percentiles now read only the sessions the leaderboard counts: not
-- cancelled and not a simulator fault. simulator_fault joins status in the
-- index for the same reason (SQLite rechecks the WHERE from the index).
DROP INDEX sessions_latency_p50;
DROP INDEX sessions_latency_p95;
CREATE INDEX sessions_latency_p50 ON sessions (run_id, candidate_id, latency_p50_ms, status, simulator_fault)
    WHERE status <> 'cancelled' AND simulator_fault = 0 AND latency_p50_ms IS NOT NULL;
CREATE INDEX sessions_latency_p95 ON sessions (run_id, candidate_id, latency_p95_ms, status, simulator_fault)
    WHERE status <> 'cancelled' AND simulator_fault = 0 AND latency_p95_ms IS NOT NULL;

-- session_scores: one row per session, with the names a person reads, who
-- played the merchant, and the simulator-fault flag and reason.
DROP VIEW session_scores;
CREATE VIEW session_scores AS
SELECT s.id               AS session_id,
       s.run_id           AS run_id,
       s.persona_id       AS persona_id,
       c.name             AS candidate,
       c.version          AS version,
       s.trial            AS trial,
       s.status           AS status,
       s.stop_reason      AS stop_reason,
       s.turns            AS turns,
       s.raw_score        AS raw_score,
       s.gated_score      AS gated_score,
       s.success          AS success,
       (SELECT count(*) FROM findings f WHERE f.session_id = s.id) AS violations,
       s.duration_ms      AS duration_ms,
       s.error            AS error,
       s.simulator_model  AS simulator_model,
       s.simulator_prompt AS simulator_prompt,
       s.simulator_fault  AS simulator_fault,
       s.fault_reason     AS fault_reason
FROM sessions s
JOIN candidates c ON c.id = s.candidate_id;

-- leaderboard: one row per run and candidate, best first within a run, the
-- newest run first. Every session is counted in exactly one of three
-- places: "cancelled" (stopped by the arena, not the build), else
-- "simulator_faults" (the merchant spoiled it, not the build), else
-- "sessions" and every other column. Errors and timeouts score 0 and never
-- succeed; an ok session with no gated score scores 0. latency_p50_ms is
-- the median of the sessions' p50 and latency_p95_ms the nearest-rank 95th
-- percentile of the sessions' p95.
--
-- Written for "WHERE run_id = ?" to reach the sessions index through every
-- layer, so that a query reads one run only: the aggregate reads sessions
-- directly, the one window above it (rank) is partitioned by run_id, and
-- the percentiles are correlated subqueries rather than a window below the
-- aggregate (SQLite pushes no term through that). Written, too, for SQLite
-- 3.37 and later (no ORDER BY inside aggregates, no ->>), so that the
-- sqlite3 shells of current distributions can read the file.
DROP VIEW leaderboard;
CREATE VIEW leaderboard AS
WITH agg AS (
    SELECT s.run_id       AS run_id,
           s.candidate_id AS candidate_id,
           count(*) FILTER (WHERE s.status <> 'cancelled' AND s.simulator_fault = 0) AS sessions,
           count(*) FILTER (WHERE s.status = 'ok' AND s.simulator_fault = 0)         AS ok,
           count(*) FILTER (WHERE s.status = 'error' AND s.simulator_fault = 0)      AS errors,
           count(*) FILTER (WHERE s.status = 'timeout' AND s.simulator_fault = 0)    AS timeouts,
           count(*) FILTER (WHERE s.status = 'cancelled')                            AS cancelled,
           count(*) FILTER (WHERE s.status <> 'cancelled' AND s.simulator_fault = 1) AS simulator_faults,
           avg(CASE WHEN s.status = 'ok' THEN s.success ELSE 0 END)
               FILTER (WHERE s.status <> 'cancelled' AND s.simulator_fault = 0)      AS success_rate,
           avg(CASE WHEN s.status = 'ok' THEN coalesce(s.gated_score, 0.0) ELSE 0.0 END)
               FILTER (WHERE s.status <> 'cancelled' AND s.simulator_fault = 0)      AS mean_score,
           total((SELECT count(*) FROM findings f WHERE f.session_id = s.id))
               FILTER (WHERE s.status <> 'cancelled' AND s.simulator_fault = 0)      AS violations,
           avg(s.turns)
               FILTER (WHERE s.status <> 'cancelled' AND s.simulator_fault = 0)      AS mean_turns,
           count(s.latency_p50_ms)
               FILTER (WHERE s.status <> 'cancelled' AND s.simulator_fault = 0)      AS n50,
           count(s.latency_p95_ms)
               FILTER (WHERE s.status <> 'cancelled' AND s.simulator_fault = 0)      AS n95,
           total(s.prompt_tokens)
               FILTER (WHERE s.status <> 'cancelled' AND s.simulator_fault = 0)      AS prompt_tokens,
           total(s.completion_tokens)
               FILTER (WHERE s.status <> 'cancelled' AND s.simulator_fault = 0)      AS completion_tokens
    FROM sessions s
    GROUP BY s.run_id, s.candidate_id
)
SELECT a.run_id AS run_id,
       rank() OVER (PARTITION BY a.run_id
                    ORDER BY a.mean_score DESC, a.success_rate DESC,
                             a.errors + a.timeouts ASC) AS rank,
       c.name                               AS candidate,
       c.version                            AS version,
       a.sessions                           AS sessions,
       a.ok                                 AS ok,
       a.errors                             AS errors,
       a.timeouts                           AS timeouts,
       a.cancelled                          AS cancelled,
       a.simulator_faults                   AS simulator_faults,
       a.success_rate                       AS success_rate,
       a.mean_score                         AS mean_score,
       CAST(a.violations AS INTEGER)        AS violations,
       a.mean_turns                         AS mean_turns,
       -- Nearest rank: the ceil(p * n)-th smallest value, in integer
       -- arithmetic. The partial indexes hand each candidate's values over
       -- in order, so row_number() needs no sort and the scan stops at the
       -- row wanted; correlated per candidate, it does not block the
       -- push-down of run_id above.
       (SELECT v FROM (SELECT x.latency_p50_ms AS v,
                              row_number() OVER (ORDER BY x.latency_p50_ms) AS i
                       FROM sessions x
                       WHERE x.run_id = a.run_id AND x.candidate_id = a.candidate_id
                         AND x.status <> 'cancelled' AND x.simulator_fault = 0
                         AND x.latency_p50_ms IS NOT NULL)
        WHERE i = (a.n50 + 1) / 2)          AS latency_p50_ms,
       (SELECT v FROM (SELECT x.latency_p95_ms AS v,
                              row_number() OVER (ORDER BY x.latency_p95_ms) AS i
                       FROM sessions x
                       WHERE x.run_id = a.run_id AND x.candidate_id = a.candidate_id
                         AND x.status <> 'cancelled' AND x.simulator_fault = 0
                         AND x.latency_p95_ms IS NOT NULL)
        WHERE i = (95 * a.n95 + 99) / 100)  AS latency_p95_ms,
       CAST(a.prompt_tokens AS INTEGER)     AS prompt_tokens,
       CAST(a.completion_tokens AS INTEGER) AS completion_tokens
FROM agg a
JOIN candidates c ON c.id = a.candidate_id
JOIN runs r ON r.id = a.run_id
ORDER BY r.started_at DESC, a.run_id, rank, c.name, c.version;
