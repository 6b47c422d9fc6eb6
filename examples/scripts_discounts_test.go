package examples_test

// discountScripts create discount codes for everyone, for products and for
// customer segments.
var discountScripts = []script{
	{
		id: "spend-thank-you-code", file: "discounts", role: "owner", tone: "warm", expertise: "intermediate",
		skills: []string{"customer_segmentation", "discounts"},
		steps: []step{
			merchant("I want to do something nice for customers who've spent over $500 with us. First, can you make a segment for them?"),
			act("", use("create_segment", `{"name":"Spent over $500","query":"amount_spent > 500"}`)),
			say("I've created the segment Spent over $500 (seg_4) with amount_spent > 500. 148 customers are in it today."),
			merchant("Lovely. Now give that segment 20% off with the code THANKYOU20, valid through the end of July."),
			act("", use("create_discount", `{"title":"Thank-you 20% for customers who spent over $500","code":"THANKYOU20","kind":"PERCENTAGE","value":20,"applies_to":"SEGMENT","segment_id":"seg_4","ends_at":"2026-08-01"}`)),
			say("I've created THANKYOU20: 20% off, limited to the Spent over $500 segment. It's ACTIVE from today and ends on August 1 at 00:00 UTC, " +
				"so all of July is covered. There's no limit on how many times it can be used; say the word if you want one."),
		},
	},
	{
		id: "hat-sale-july", file: "discounts", role: "owner", tone: "casual", expertise: "novice",
		skills: []string{"discounts"},
		steps: []step{
			merchant("Let's do 15% off all our hats for July"),
			act("", use("search_products", `{"query":"hats"}`)),
			say("I found 4 hats: Chunky Cable Toque, Maple Leaf Pom Toque, Wool Trapper Hat and Packable Sun Hat. " +
				"I'll limit the discount to those 4 products and run it from July 1 until August 1. What code should customers type at checkout?"),
			merchant("HATS15 works"),
			act("", use("create_discount", `{"title":"July hat sale 15%","code":"HATS15","kind":"PERCENTAGE","value":15,"applies_to":"PRODUCTS","product_ids":["prod_2022","prod_2023","prod_2024","prod_2025"],"starts_at":"2026-07-01","ends_at":"2026-08-01"}`)),
			say("I've scheduled HATS15: 15% off the Chunky Cable Toque, Maple Leaf Pom Toque, Wool Trapper Hat and Packable Sun Hat. " +
				"It starts July 1 at 00:00 UTC and ends August 1 at 00:00 UTC, and its status stays SCHEDULED until it starts."),
			merchant("Great, that's all for now"),
			say("Enjoy the sale!"),
		},
	},
	{
		id: "welcome-code-taken", file: "discounts", role: "shop manager", tone: "formal", expertise: "intermediate",
		skills: []string{"discounts"},
		steps: []step{
			merchant("Please create a 10% discount code WELCOME10 for first-time customers, limited to 200 uses."),
			act("", refused("create_discount", `{"title":"First-time customers 10%","code":"WELCOME10","kind":"PERCENTAGE","value":10,"usage_limit":200}`)),
			act("That code is taken; let me look at the existing one.", use("list_discounts", `{}`)),
			say("WELCOME10 already exists: it's your \"Welcome 10% off a first order\" code, ACTIVE since January 1, 2025, giving 10% off everything with no usage limit. " +
				"Codes must be unique, so I haven't made a second one. " +
				"Should I create a new code with the 200-use limit under a different name, or would you rather keep WELCOME10 as it is?"),
			merchant("Keep the old one running. Make the new one WELCOME200 with the 200-use cap."),
			act("", use("create_discount", `{"title":"First-time customers 10% (200 uses)","code":"WELCOME200","kind":"PERCENTAGE","value":10,"usage_limit":200}`)),
			say("I've created WELCOME200: 10% off the whole order, active from today with no end date, limited to 200 uses in total. WELCOME10 keeps running unchanged."),
		},
	},
	{
		id: "free-shipping-subscribers", file: "discounts", role: "owner", tone: "relaxed", expertise: "intermediate",
		skills: []string{"discounts", "discounts"},
		steps: []step{
			merchant("Which discount codes are running right now?"),
			act("", use("list_discounts", `{}`), use("list_segments", `{}`)),
			say("Two codes are active:\n\n" +
				"- WELCOME10: 10% off everything, no end date and no usage limit\n" +
				"- VIP15: 15% off for the VIP customers segment (41 members), until September 30, 2026\n\n" +
				"BFCM25 (25% off, Black Friday / Cyber Monday 2025) has expired."),
			merchant("Add a free shipping code for our newsletter subscribers for the first two weeks of July, code SHIPFREEJULY."),
			act("", use("create_discount", `{"title":"Free shipping for newsletter subscribers, early July","code":"SHIPFREEJULY","kind":"FREE_SHIPPING","applies_to":"SEGMENT","segment_id":"seg_1","starts_at":"2026-07-01","ends_at":"2026-07-15"}`)),
			say("I've scheduled SHIPFREEJULY: free shipping for the Newsletter subscribers segment, starting July 1 at 00:00 UTC and ending July 15 at 00:00 UTC, " +
				"which covers the first two weeks of July. It shows as SCHEDULED until it starts."),
		},
	},
	{
		id: "lapsed-win-back", file: "discounts", role: "marketing manager", tone: "concise", expertise: "expert",
		skills: []string{"discounts"},
		steps: []step{
			merchant("Win-back campaign: $25 off for the Lapsed customers segment, code COMEBACK25, max 150 uses, starting today and ending August 31."),
			act("", use("list_segments", `{}`)),
			act("", use("create_discount", `{"title":"Win-back $25 off for lapsed customers","code":"COMEBACK25","kind":"FIXED_AMOUNT","value":25,"applies_to":"SEGMENT","segment_id":"seg_3","ends_at":"2026-09-01","usage_limit":150}`)),
			say("COMEBACK25 is set up and ACTIVE: $25 off for the Lapsed customers segment, which has 108 members (customers with at least one order and none since January 1, 2026). " +
				"It runs from today until September 1 at 00:00 UTC, so August 31 is included, and it's capped at 150 uses."),
		},
	},
}
