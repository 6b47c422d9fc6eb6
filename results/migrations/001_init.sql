-- Schema v1: runs, candidates, personas, sessions and what each session
-- recorded (messages, tool calls as the sandbox saw them, findings, scores),
-- plus the views session_scores, violations and leaderboard.
--
-- Times are UTC text 'YYYY-MM-DDTHH:MM:SS.sssZ' (sortable, and SQLite's date
-- functions read them). Durations are milliseconds (REAL). JSON columns hold
-- text that json_valid accepts, or NULL.

CREATE TABLE runs (
    id          TEXT PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    mode        TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'running',
    config      TEXT CHECK (config IS NULL OR json_valid(config)),
    notes       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX runs_started_at ON runs (started_at);

CREATE TABLE candidates (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL,
    version  TEXT NOT NULL DEFAULT '',
    kind     TEXT NOT NULL DEFAULT '',
    metadata TEXT CHECK (metadata IS NULL OR json_valid(metadata)),
    UNIQUE (name, version)
);

CREATE TABLE personas (
    id                  TEXT PRIMARY KEY,
    source_conversation TEXT NOT NULL DEFAULT '',
    source_file         TEXT NOT NULL DEFAULT '',
    extractor           TEXT NOT NULL DEFAULT '',
    skills              TEXT CHECK (skills IS NULL OR json_valid(skills)),
    card                TEXT CHECK (card IS NULL OR json_valid(card))
);

CREATE TABLE sessions (
    id                INTEGER PRIMARY KEY,
    run_id            TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    persona_id        TEXT NOT NULL REFERENCES personas (id),
    candidate_id      INTEGER NOT NULL REFERENCES candidates (id),
    trial             INTEGER NOT NULL CHECK (trial >= 0),
    status            TEXT NOT NULL CHECK (status IN ('ok', 'error', 'timeout', 'cancelled')),
    stop_reason       TEXT NOT NULL DEFAULT '',
    turns             INTEGER NOT NULL DEFAULT 0,
    started_at        TEXT,
    finished_at       TEXT,
    duration_ms       REAL,
    latency_p50_ms    REAL,
    latency_p95_ms    REAL,
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    error             TEXT NOT NULL DEFAULT '',
    raw_score         REAL,
    gated_score       REAL,
    success           INTEGER NOT NULL DEFAULT 0 CHECK (success IN (0, 1)),
    UNIQUE (run_id, persona_id, candidate_id, trial)
);
-- The leaderboard groups a run's sessions by candidate, and reads each
-- group's latencies in order for its percentiles (partial indexes: exactly
-- the rows the percentiles use, already sorted, so no sort; status is in
-- them so that SQLite, which rechecks the WHERE, needs no table lookup). Personas and candidates are never deleted, so their foreign keys
-- need no index of their own.
CREATE INDEX sessions_run_candidate ON sessions (run_id, candidate_id);
CREATE INDEX sessions_latency_p50 ON sessions (run_id, candidate_id, latency_p50_ms, status)
    WHERE status <> 'cancelled' AND latency_p50_ms IS NOT NULL;
CREATE INDEX sessions_latency_p95 ON sessions (run_id, candidate_id, latency_p95_ms, status)
    WHERE status <> 'cancelled' AND latency_p95_ms IS NOT NULL;

CREATE TABLE messages (
    session_id   INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    turn         INTEGER NOT NULL,
    role         TEXT NOT NULL,
    content      TEXT NOT NULL DEFAULT '',
    tool_calls   TEXT CHECK (tool_calls IS NULL OR json_valid(tool_calls)),
    tool_call_id TEXT NOT NULL DEFAULT '',
    name         TEXT NOT NULL DEFAULT '',
    is_error     INTEGER NOT NULL DEFAULT 0 CHECK (is_error IN (0, 1)),
    PRIMARY KEY (session_id, seq)
);

-- arguments and result are kept as the sandbox recorded them: text that a
-- misbehaving build may have made invalid JSON, which is a finding, not a
-- reason to lose the row.
CREATE TABLE tool_calls (
    session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    turn        INTEGER NOT NULL,
    call_id     TEXT NOT NULL DEFAULT '',
    tool        TEXT NOT NULL,
    arguments   TEXT NOT NULL DEFAULT '',
    result      TEXT NOT NULL DEFAULT '',
    error       TEXT NOT NULL DEFAULT '',
    code        TEXT NOT NULL DEFAULT '',
    duration_ms REAL,
    valid       INTEGER NOT NULL DEFAULT 0 CHECK (valid IN (0, 1)),
    validation  TEXT CHECK (validation IS NULL OR json_valid(validation)),
    PRIMARY KEY (session_id, seq)
);

CREATE TABLE findings (
    id         INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    turn       INTEGER NOT NULL DEFAULT 0,
    call_id    TEXT NOT NULL DEFAULT '',
    tool       TEXT NOT NULL DEFAULT '',
    rule       TEXT NOT NULL,
    kind       TEXT NOT NULL DEFAULT '',
    gate       INTEGER NOT NULL DEFAULT 0 CHECK (gate IN (0, 1)),
    message    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX findings_session ON findings (session_id);

CREATE TABLE scores (
    id         INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    judge      TEXT NOT NULL,
    criterion  TEXT NOT NULL,
    score      REAL NOT NULL,
    gated      REAL NOT NULL,
    rationale  TEXT NOT NULL DEFAULT '',
    version    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX scores_session ON scores (session_id);

-- session_scores: one row per session, with the names a person reads.
CREATE VIEW session_scores AS
SELECT s.id          AS session_id,
       s.run_id      AS run_id,
       s.persona_id  AS persona_id,
       c.name        AS candidate,
       c.version     AS version,
       s.trial       AS trial,
       s.status      AS status,
       s.stop_reason AS stop_reason,
       s.turns       AS turns,
       s.raw_score   AS raw_score,
       s.gated_score AS gated_score,
       s.success     AS success,
       (SELECT count(*) FROM findings f WHERE f.session_id = s.id) AS violations,
       s.duration_ms AS duration_ms,
       s.error       AS error
FROM sessions s
JOIN candidates c ON c.id = s.candidate_id;

-- violations: one row per finding, with where it happened.
CREATE VIEW violations AS
SELECT s.run_id     AS run_id,
       c.name       AS candidate,
       c.version    AS version,
       s.persona_id AS persona_id,
       f.session_id AS session_id,
       s.trial      AS trial,
       f.turn       AS turn,
       f.call_id    AS call_id,
       f.tool       AS tool,
       f.rule       AS rule,
       f.kind       AS kind,
       f.gate       AS gate,
       f.message    AS message,
       f.id         AS finding_id
FROM findings f
JOIN sessions s ON s.id = f.session_id
JOIN candidates c ON c.id = s.candidate_id;

-- leaderboard: one row per run and candidate, best first within a run, the
-- newest run first. Cancelled sessions (stopped by the arena, not the build)
-- are counted in "cancelled" and left out of every other column. Errors and
-- timeouts score 0 and never succeed; an ok session with no gated score
-- scores 0. latency_p50_ms is the median of the sessions' p50 and
-- latency_p95_ms the nearest-rank 95th percentile of the sessions' p95.
--
-- Written for "WHERE run_id = ?" to reach the sessions index through every
-- layer, so that a query reads one run only: the aggregate reads sessions
-- directly, the one window above it (rank) is partitioned by run_id, and
-- the percentiles are correlated subqueries rather than a window below the
-- aggregate (SQLite pushes no term through that). Written, too, for SQLite
-- 3.37 and later (no ORDER BY inside aggregates, no ->>), so that the
-- sqlite3 shells of current distributions can read the file.
CREATE VIEW leaderboard AS
WITH agg AS (
    SELECT s.run_id       AS run_id,
           s.candidate_id AS candidate_id,
           count(*) FILTER (WHERE s.status <> 'cancelled') AS sessions,
           count(*) FILTER (WHERE s.status = 'ok')         AS ok,
           count(*) FILTER (WHERE s.status = 'error')      AS errors,
           count(*) FILTER (WHERE s.status = 'timeout')    AS timeouts,
           count(*) FILTER (WHERE s.status = 'cancelled')  AS cancelled,
           avg(CASE WHEN s.status = 'ok' THEN s.success ELSE 0 END)
               FILTER (WHERE s.status <> 'cancelled')      AS success_rate,
           avg(CASE WHEN s.status = 'ok' THEN coalesce(s.gated_score, 0.0) ELSE 0.0 END)
               FILTER (WHERE s.status <> 'cancelled')      AS mean_score,
           total((SELECT count(*) FROM findings f WHERE f.session_id = s.id))
               FILTER (WHERE s.status <> 'cancelled')      AS violations,
           avg(s.turns) FILTER (WHERE s.status <> 'cancelled')                AS mean_turns,
           count(s.latency_p50_ms) FILTER (WHERE s.status <> 'cancelled')    AS n50,
           count(s.latency_p95_ms) FILTER (WHERE s.status <> 'cancelled')    AS n95,
           total(s.prompt_tokens) FILTER (WHERE s.status <> 'cancelled')     AS prompt_tokens,
           total(s.completion_tokens) FILTER (WHERE s.status <> 'cancelled') AS completion_tokens
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
                         AND x.status <> 'cancelled' AND x.latency_p50_ms IS NOT NULL)
        WHERE i = (a.n50 + 1) / 2)          AS latency_p50_ms,
       (SELECT v FROM (SELECT x.latency_p95_ms AS v,
                              row_number() OVER (ORDER BY x.latency_p95_ms) AS i
                       FROM sessions x
                       WHERE x.run_id = a.run_id AND x.candidate_id = a.candidate_id
                         AND x.status <> 'cancelled' AND x.latency_p95_ms IS NOT NULL)
        WHERE i = (95 * a.n95 + 99) / 100)  AS latency_p95_ms,
       CAST(a.prompt_tokens AS INTEGER)     AS prompt_tokens,
       CAST(a.completion_tokens AS INTEGER) AS completion_tokens
FROM agg a
JOIN candidates c ON c.id = a.candidate_id
JOIN runs r ON r.id = a.run_id
ORDER BY r.started_at DESC, a.run_id, rank, c.name, c.version;
