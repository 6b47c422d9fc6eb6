-- Migration 6: the pairwise view compares two builds on a persona only
-- when the same merchant simulator (model and prompt version) played it
-- for both, as the gate and the leaderboard do: scores move with the
-- simulator. A persona played by two simulators counts once per
-- simulator.
DROP VIEW pairwise;
CREATE VIEW pairwise AS
WITH persona_scores AS (
    SELECT s.run_id                        AS run_id,
           s.persona_id                    AS persona_id,
           coalesce(s.simulator_model, '')  AS simulator_model,
           coalesce(s.simulator_prompt, '') AS simulator_prompt,
           s.candidate_id                  AS candidate_id,
           avg(CASE WHEN s.status = 'ok' THEN coalesce(s.gated_score, 0.0) ELSE 0.0 END) AS score
    FROM sessions s
    WHERE s.status <> 'cancelled' AND s.simulator_fault = 0
    GROUP BY s.run_id, s.persona_id, 3, 4, s.candidate_id
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
                     AND b.simulator_model = a.simulator_model AND b.simulator_prompt = a.simulator_prompt
                     AND b.candidate_id <> a.candidate_id
JOIN candidates ca ON ca.id = a.candidate_id
JOIN candidates cb ON cb.id = b.candidate_id
GROUP BY a.run_id, a.candidate_id, b.candidate_id;
