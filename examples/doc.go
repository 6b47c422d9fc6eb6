// Package examples owns the bundled example data: merchant↔assistant
// conversations for the fixture shop of package sandbox ("Maple & Pine
// Outfitters"), one JSONL file per skill area (customers, segments,
// catalog, orders, discounts, sales, mixed). Each line is one conversation
// in the OpenAI chat shape, {"id", "messages", "tools", "metadata"}: a system
// prompt, the merchant's messages, the assistant's replies and tool calls,
// and the tool results; "tools" is sandbox.Tools(). Metadata names the shop,
// the merchant's role, tone and expertise, and "skills", an ordered list with
// one entry per merchant goal (customer_lookup, customer_segmentation,
// customer_edits, product_seo, product_edits, orders, discounts,
// sales_questions), which the persona extractor maps goal by goal.
//
// The data is what the rest of the arena is tested against: personas are
// extracted from it, the golden build replays it, and the judges must find
// nothing wrong with it. So it keeps three promises, checked by the tests:
//
//   - Every tool result is exactly what the sandbox returns when the
//     conversation's calls run in order on a fresh sandbox.Fixture(),
//     refusals included (the assistant reads the error and recovers).
//   - The assistant uses and mentions only store IDs that an earlier tool
//     result or the merchant gave it, states only numbers it has seen, and
//     says it changed something only in the turn whose write call did it.
//   - The persona extractor reads one goal per skill entry, clarifying
//     answers as facts, and something checkable for each goal that used
//     tools.
//
// # Regenerating
//
// The conversations are written as Go tables in the scripts_*_test.go
// files: merchant messages, assistant text and tool calls without results.
// When they or the sandbox change, rebuild the JSONL with
//
//	go test ./examples -run TestGenerate -update
//
// which runs every call on a fresh fixture and rewrites the files. Without
// -update, TestGenerate fails when a committed file differs from what the
// scripts produce. Assistant text quotes results by hand, so after a fixture
// change read the failures of TestConversations_Grounded and fix the text.
//
// Package examples imports transcript only; its tests also use sandbox,
// personas and judges.
package examples
