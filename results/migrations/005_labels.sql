-- Migration 5: trustworthy judges. Human and judge labels, and the
-- calibration records that say whether an LLM judge agrees with humans.

-- labels: one rater's label for one item (a conversation or session ID) on
-- one criterion. kind is 'human' or 'judge'; label is text, numbers written
-- as such ('4', '0.5'), so nominal labels fit too. A second label by the
-- same rater for the same item and criterion replaces the first.
CREATE TABLE labels (
    item        TEXT NOT NULL CHECK (item <> ''),
    criterion   TEXT NOT NULL CHECK (criterion <> ''),
    rater       TEXT NOT NULL CHECK (rater <> ''),
    kind        TEXT NOT NULL CHECK (kind IN ('human', 'judge')),
    label       TEXT NOT NULL CHECK (label <> ''),
    imported_at TEXT NOT NULL,
    source      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (criterion, item, rater)
);

-- calibrations: one row per calibration of an LLM judge on a criterion.
-- A judge is identified by its name, model, prompt version and rubric
-- version; a change to any of them makes it uncalibrated until a new row
-- says otherwise. results is the agreement report (JSON); passed is the
-- alternative annotator test's verdict.
CREATE TABLE calibrations (
    id             INTEGER PRIMARY KEY,
    judge          TEXT NOT NULL CHECK (judge <> ''),
    criterion      TEXT NOT NULL CHECK (criterion <> ''),
    prompt_version TEXT NOT NULL,
    model          TEXT NOT NULL,
    rubric_version TEXT NOT NULL,
    results        TEXT NOT NULL CHECK (json_valid(results)),
    passed         INTEGER NOT NULL CHECK (passed IN (0, 1)),
    created_at     TEXT NOT NULL
);
CREATE INDEX calibrations_judge ON calibrations (judge, criterion, created_at);
