-- Migration 3: what ranking and the pre-deploy gate need.

-- Findings by session and kind, for per-kind rates of a set of sessions.
CREATE INDEX findings_session_kind ON findings (session_id, gate, kind);

-- Scores by session, for per-criterion means.
CREATE INDEX scores_session_criterion ON scores (session_id, criterion);

-- LLM calls by session, for the cost of a session.
CREATE INDEX llm_calls_run_session ON llm_calls (run_id, session, role);

-- gate_decisions: every decision of "arena gate", with what it was given.
-- runs, reasons, report and inputs are JSON: the runs compared, every
-- reason a gate blocked or could not decide, the whole report (metrics,
-- hard gates, McNemar, power) and the settings (margins, alpha, resamples,
-- seed), so a decision can be re-derived.
CREATE TABLE gate_decisions (
    id         INTEGER PRIMARY KEY,
    decided_at TEXT NOT NULL,
    runs       TEXT NOT NULL CHECK (json_valid(runs)),
    baseline   TEXT NOT NULL,
    candidate  TEXT NOT NULL,
    verdict    TEXT NOT NULL CHECK (verdict IN ('pass', 'block', 'undecided')),
    reasons    TEXT NOT NULL CHECK (json_valid(reasons)),
    report     TEXT CHECK (report IS NULL OR json_valid(report)),
    inputs     TEXT CHECK (inputs IS NULL OR json_valid(inputs))
);
CREATE INDEX gate_decisions_decided_at ON gate_decisions (decided_at);

-- rankings: the ranking "arena leaderboard" computed for a run, with its
-- confidence intervals; dimension is '' for the whole board, or 'skill' /
-- 'criterion' with group_name the skill or criterion.
CREATE TABLE rankings (
    run_id      TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    dimension   TEXT NOT NULL DEFAULT '',
    group_name  TEXT NOT NULL DEFAULT '',
    candidate   TEXT NOT NULL,
    version     TEXT NOT NULL,
    baseline    TEXT NOT NULL DEFAULT '',
    rank        INTEGER NOT NULL,
    rating      REAL,
    rating_lo   REAL,
    rating_hi   REAL,
    success     REAL,
    success_lo  REAL,
    success_hi  REAL,
    score       REAL,
    score_lo    REAL,
    score_hi    REAL,
    pass_k      TEXT CHECK (pass_k IS NULL OR json_valid(pass_k)),
    computed_at TEXT NOT NULL,
    PRIMARY KEY (run_id, dimension, group_name, candidate, version)
);

-- pairwise: for each run and ordered pair of builds (candidate against
-- opponent), over the personas both played in sessions that were neither
-- cancelled nor spoiled by the merchant, how often the candidate's mean
-- gated score for a persona was higher (wins), equal within 1e-9 (ties)
-- or lower (losses). Errors and timeouts score 0.
CREATE VIEW pairwise AS
WITH persona_scores AS (
    SELECT s.run_id       AS run_id,
           s.persona_id   AS persona_id,
           s.candidate_id AS candidate_id,
           avg(CASE WHEN s.status = 'ok' THEN coalesce(s.gated_score, 0.0) ELSE 0.0 END) AS score
    FROM sessions s
    WHERE s.status <> 'cancelled' AND s.simulator_fault = 0
    GROUP BY s.run_id, s.persona_id, s.candidate_id
)
SELECT a.run_id                                  AS run_id,
       ca.name                                   AS candidate,
       ca.version                                AS version,
       cb.name                                   AS opponent,
       cb.version                                AS opponent_version,
       sum(a.score > b.score + 1e-9)             AS wins,
       sum(abs(a.score - b.score) <= 1e-9)       AS ties,
       sum(a.score < b.score - 1e-9)             AS losses,
       count(*)                                  AS personas
FROM persona_scores a
JOIN persona_scores b ON b.run_id = a.run_id AND b.persona_id = a.persona_id
                     AND b.candidate_id <> a.candidate_id
JOIN candidates ca ON ca.id = a.candidate_id
JOIN candidates cb ON cb.id = b.candidate_id
GROUP BY a.run_id, a.candidate_id, b.candidate_id;
