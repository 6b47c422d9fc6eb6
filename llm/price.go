package llm

import "maps"

// Price is what a model costs, in US dollars per million tokens.
type Price struct {
	PromptPerMillion     float64 `json:"prompt_per_million"`
	CompletionPerMillion float64 `json:"completion_per_million"`
}

// Cost prices u.
func (p Price) Cost(u Usage) float64 {
	return (float64(u.PromptTokens)*p.PromptPerMillion + float64(u.CompletionTokens)*p.CompletionPerMillion) / 1e6
}

// DefaultPrices returns OpenAI's standard-tier list prices for common chat
// models (uncached input, no batch discount), as published in 2025–2026.
// Prices change: pass Config.Prices to correct or extend them. A dated
// model name ("gpt-4.1-mini-2025-04-14") is priced as its base name.
func DefaultPrices() map[string]Price {
	return map[string]Price{
		"gpt-4.1":      {2.00, 8.00},
		"gpt-4.1-mini": {0.40, 1.60},
		"gpt-4.1-nano": {0.10, 0.40},
		"gpt-4o":       {2.50, 10.00},
		"gpt-4o-mini":  {0.15, 0.60},
		"o3":           {2.00, 8.00},
		"o3-mini":      {1.10, 4.40},
		"o4-mini":      {1.10, 4.40},
		"gpt-5":        {1.25, 10.00},
		"gpt-5-mini":   {0.25, 2.00},
		"gpt-5-nano":   {0.05, 0.40},
	}
}

// priceTable looks models up by exact name, then without a date suffix
// ("gpt-4o-mini" for "gpt-4o-mini-2024-07-18", "gpt-4" for "gpt-4-0613").
// Other suffixes are different models ("o3-pro" is not "o3").
type priceTable map[string]Price

func newPriceTable(extra map[string]Price) priceTable {
	t := DefaultPrices()
	maps.Copy(t, extra)
	return t
}

func (t priceTable) lookup(model string) (Price, bool) {
	if p, ok := t[model]; ok {
		return p, true
	}
	if i := dateSuffix(model); i > 0 {
		p, ok := t[model[:i]]
		return p, ok
	}
	return Price{}, false
}

// dateSuffix returns where a "-YYYY-MM-DD" or "-MMDD" suffix starts, or -1.
func dateSuffix(model string) int {
	for _, pattern := range []string{"-dddd-dd-dd", "-dddd"} {
		i := len(model) - len(pattern)
		if i > 0 && matchDigits(model[i:], pattern) {
			return i
		}
	}
	return -1
}

// matchDigits matches s against pattern, where 'd' is any digit.
func matchDigits(s, pattern string) bool {
	for j := range len(pattern) {
		switch c := s[j]; pattern[j] {
		case 'd':
			if c < '0' || c > '9' {
				return false
			}
		default:
			if c != pattern[j] {
				return false
			}
		}
	}
	return true
}
