// Package sandbox owns the merchant's store that candidate builds act on: the
// store model (customers, products, orders, segments, discounts), the
// fixture shop every session starts from, the segment query language, the
// tools with their OpenAI JSON schemas, tool execution, the state diff that
// goal checks compare, and the NATS micro service that gives each session
// its own copy of the fixture and records every call.
//
// The store is deterministic: its clock is fixed (Store.Now) and new IDs come
// from per-store counters, so the same calls on a fresh fixture always give
// the same results. Subjects come from natsbus; this package spells none.
//
// Package sandbox never imports judges, simulator, candidates or results.
package sandbox
