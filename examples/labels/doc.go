// Package labels owns the bundled labelled example: experts.jsonl, human and
// judge labels for the bundled example conversations (package examples), in
// the format "arena labels import" reads, one label per line:
//
//	{"item": "toronto-customers", "criterion": "helpfulness", "rater": "expert:ana", "kind": "human", "label": 4}
//
// Three product experts (expert:ana, expert:ben, expert:chloe) and one LLM
// judge (llm:gpt-4.1-mini) label every conversation on two criteria of the
// default rubric: helpfulness (ordinal, 1 to 5) and hallucination (binary:
// 1 when every store fact stated is supported). A few labels are missing,
// as in real labelling rounds. The humans mostly agree, and the judge is
// close to them: "arena judges agreement --labels examples/labels/experts.jsonl"
// shows a judge that passes the alternative annotator test on both.
//
// The file is generated from a fixed seed by TestGenerate; rewrite it with
//
//	go test ./examples/labels -run TestGenerate -update
//
// Package labels imports nothing from this module; its tests use examples
// and judges/agreement.
package labels
