// Package labels owns the bundled labelled example: experts.jsonl, human and
// judge labels for the bundled example conversations (package examples), in
// the format "arena labels import" reads, one label per line:
//
//	{"item": "toronto-customers", "criterion": "helpfulness", "rater": "expert:ana", "kind": "human", "label": 4}
//
// The labels are synthetic: nobody read the conversations. Three simulated
// experts (expert:ana, expert:ben, expert:chloe) and one simulated judge
// (llm:gpt-4.1-mini) label every conversation on two criteria of the
// default rubric, helpfulness (ordinal, 1 to 5) and hallucination (binary),
// each a noisy copy of a random "true" label, with a few labels missing as
// in real labelling rounds. The file shows the format and exercises every
// statistic ("arena judges agreement --labels examples/labels/experts.jsonl"
// shows a judge that passes the alternative annotator test, as generated);
// it says nothing about how a real judge does on these conversations, so
// calibrating a real model against it would measure noise. Label your own.
//
// The file is generated from a fixed seed by TestGenerate; rewrite it with
//
//	go test ./examples/labels -run TestGenerate -update
//
// Package labels imports nothing from this module; its tests use examples
// and judges/agreement.
package labels
