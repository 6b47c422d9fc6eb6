// Package llm owns every call to a language model: one Client for the whole
// program over any OpenAI-compatible endpoint (go-openai underneath), with
// retries that honour Retry-After, a client-side rate limiter, a response
// cache for deterministic calls, token and cost accounting per call and per
// role, a budget that stops a run cleanly, and structured outputs checked
// against their JSON schema.
//
// Only this package imports go-openai. Callers speak transcript messages
// and define the one- or two-method interface they need where they use it.
// llm/llmtest serves a scripted OpenAI API over httptest for tests.
package llm
