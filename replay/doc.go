// Package replay owns the researcher's view of one logged conversation
// played again by candidate builds: structured diffs of each played
// conversation against the original, statistics across trials, and
// side-by-side renderings as text, Markdown and JSON.
//
// Compare aligns the two conversations by merchant turn (the n-th user
// message starts turn n; what comes before the first one is turn 0) and
// reports, per turn, the tool calls that differ and whether a text reply
// was produced, and per conversation the store changes and goal outcomes
// that differ. Each difference is a Divergence with a stable Kind key:
//
//	missing_call:TOOL          the original called TOOL, the build did not
//	extra_call:TOOL            the build called TOOL, the original did not
//	argument:TOOL.PATH         a call both made, with different arguments
//	                           (PATH without list indexes: tags, not tags[1])
//	order:TOOL                 the build called TOOL before the call whose
//	                           result its arguments use in the original
//	missing_reply, extra_reply a text reply one side gave and the other not
//	missing_turn, extra_turn   a merchant turn only one side had
//	store:PATH                 a store path (sandbox.Flatten) that ends
//	                           with another value
//	goal:ID                    a goal met on one side only
//
// # Which calls are compared
//
// Arguments are compared after sandbox.NormalizeArgs: key order, spacing
// and number spelling do not count. Within a turn, calls are compared as a
// multiset: the order of independent calls does not count. A call depends
// on an earlier call of the same turn when, in the original, one of its
// argument values (a string, or a number of at least four digits) appears
// in the earlier call's result and nowhere in the conversation before that
// result: the agent could only have learnt it from that call. Only such
// pairs must keep their order; a build that breaks it gets an order
// divergence. Calls are paired in three passes: equal calls first (in
// order), then calls of the same tool with the fewest differing argument
// leaves, and what is left is missing or extra.
//
// Lists inside arguments are ordered, as JSON says; ["vip","new"] and
// ["new","vip"] differ.
//
// Summarize counts, over the trials of one conversation and build, how
// often each divergence kind occurs, the success rate and pass^k from the
// verdicts, and the most common first point of divergence.
//
// replay imports transcript, sandbox, judges and stats (standard library only), and
// go-cmp; it knows no NATS and no SQLite, and plays nothing itself: the
// arena plays sessions and hands their conversations here.
package replay
