-- Migration 4: each session keeps its gate findings by kind and its
-- criterion scores, so ranking and the gate read sessions in one scan.

-- Each session's gate findings by kind and its criterion scores are packed as
-- "name=value;…" when the session is written: ranking and the gate read
-- 100,000 sessions in one scan instead of joining every finding and score
-- row. Criteria are the LLM judges' gated scores, per-goal ones averaged
-- into their criterion ("goal_completion/g1" into "goal_completion"), and
-- the procedural "goals" score. Names hold neither '=' nor ';'.
ALTER TABLE sessions ADD COLUMN gate_kinds TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN criteria TEXT NOT NULL DEFAULT '';
UPDATE sessions SET gate_kinds = coalesce((
    SELECT group_concat(kind || '=' || n, ';')
    FROM (SELECT f.kind AS kind, count(*) AS n FROM findings f
          WHERE f.session_id = sessions.id AND f.gate = 1 GROUP BY f.kind ORDER BY f.kind)), '');
UPDATE sessions SET criteria = coalesce((
    SELECT group_concat(name || '=' || printf('%.17g', v), ';')
    FROM (SELECT CASE WHEN instr(sc.criterion, '/') > 0
                      THEN substr(sc.criterion, 1, instr(sc.criterion, '/') - 1)
                      ELSE sc.criterion END AS name,
                 avg(sc.gated) AS v
          FROM scores sc
          WHERE sc.session_id = sessions.id
            AND (sc.judge = 'llm' OR (sc.judge = 'procedural' AND sc.criterion = 'goals'))
          GROUP BY name ORDER BY name)), '');

-- Findings and scores are no longer read by kind or criterion.
DROP INDEX findings_session_kind;
DROP INDEX scores_session_criterion;
