package examples_test

// mixedScripts cross skill areas in one conversation, two or three goals
// each.
var mixedScripts = []script{
	{
		id: "morning-check-in", file: "mixed", role: "owner", tone: "rushed", expertise: "intermediate",
		skills: []string{"sales_questions", "orders", "product_edits"},
		steps: []step{
			merchant("Morning! How did we do yesterday?"),
			act("", use("sales_report", `{"start_date":"2026-06-29","end_date":"2026-06-29"}`)),
			say("Yesterday (Monday, June 29) brought 6 orders for 13 units: $1,280.00 gross, $42.00 in discounts and no refunds, so $1,238.00 net. The average order was $206.33."),
			merchant("Any orders from this week that haven't shipped?"),
			act("", use("search_orders", `{"fulfillment_status":"UNFULFILLED","created_after":"2026-06-29"}`)),
			say("9 orders from this week are unfulfilled, but only 3 of them are paid and ready to ship:\n\n" +
				"- #2178 (today): 1 item, $35.00\n- #2171 (yesterday): 2 items, $123.00\n- #2170 (yesterday): 2 items, $158.00\n\n" +
				"The other 6 are still waiting for payment, the largest being #2175 at $448.00."),
			merchant("Ok. Also the Merino Hiking Socks in M are at zero and a box of 60 just came in, set it to 60."),
			act("", use("search_products", `{"query":"merino hiking socks"}`)),
			act("", use("get_product", `{"product_id":"prod_2021"}`)),
			act("", use("update_variant", `{"variant_id":"var_3071","inventory_quantity":60}`)),
			say("Done: Merino Hiking Socks in size M now show 60 in stock. Size L still has 121."),
			merchant("Thanks, that's all!"),
			say("Have a good day!"),
		},
	},
	{
		id: "low-stock-restock", file: "mixed", role: "store manager", tone: "practical", expertise: "intermediate",
		skills: []string{"product_edits", "product_edits"},
		steps: []step{
			merchant("Which active products are running low? Say anything under 60 units in total."),
			act("", use("search_products", `{"status":"ACTIVE","limit":50}`)),
			say("3 of your 37 active products are under 60 units in total:\n\n" +
				"- Waxed Canvas Tote: 0, sold out\n- Buffalo Check Scarf: 27\n- Wool Trapper Hat: 56\n\n" +
				"Totals can hide a single sold-out size, so let me know if you want me to check sizes for any product."),
			merchant("Restock the tote, 25 just arrived."),
			act("", use("get_product", `{"product_id":"prod_2031"}`)),
			act("", use("update_variant", `{"variant_id":"var_3092","inventory_quantity":25}`)),
			say("The Waxed Canvas Tote now has 25 in stock (it has a single Default variant), so it's purchasable again."),
		},
	},
	{
		id: "poncho-launch", file: "mixed", role: "marketing lead", tone: "upbeat", expertise: "intermediate",
		skills: []string{"product_seo", "product_edits", "discounts"},
		steps: []step{
			merchant("We're launching the Spring Rain Poncho today, it's still in draft. Before it goes live, can you give it a proper SEO title and description?"),
			act("", use("search_products", `{"query":"spring rain poncho"}`)),
			act("", use("get_product", `{"product_id":"prod_2040"}`)),
			act("", use("update_product", `{"product_id":"prod_2040","seo_title":"Spring Rain Poncho – Packable Poncho That Covers You and Your Pack","seo_description":"A light, packable rain poncho roomy enough to cover you and your backpack. Slip it on in seconds when spring showers hit the trail. One size fits most, $59."}`)),
			say("I've saved new SEO for the Spring Rain Poncho:\n\n" +
				"- Title: Spring Rain Poncho – Packable Poncho That Covers You and Your Pack\n" +
				"- Description: A light, packable rain poncho roomy enough to cover you and your backpack. Slip it on in seconds when spring showers hit the trail. One size fits most, $59.\n\n" +
				"Before, both fields only repeated the product name and description. The product is still a DRAFT."),
			merchant("Now set it live."),
			act("", use("update_product", `{"product_id":"prod_2040","status":"ACTIVE"}`)),
			say("The Spring Rain Poncho is now ACTIVE and visible in the store at $59.00, with 94 in stock."),
			merchant("And make a launch code PONCHO10 for 10% off just the poncho, capped at 100 uses, ending July 31."),
			act("", use("create_discount", `{"title":"Spring Rain Poncho launch 10%","code":"PONCHO10","kind":"PERCENTAGE","value":10,"applies_to":"PRODUCTS","product_ids":["prod_2040"],"ends_at":"2026-08-01","usage_limit":100}`)),
			say("I've created PONCHO10: 10% off the Spring Rain Poncho only, active from today until August 1 at 00:00 UTC so all of July 31 counts, capped at 100 uses."),
			merchant("Perfect"),
			say("Good luck with the launch!"),
		},
	},
	{
		id: "wholesale-fall-code", file: "mixed", role: "owner", tone: "direct", expertise: "intermediate",
		skills: []string{"customer_lookup", "discounts"},
		steps: []step{
			merchant("How many wholesale accounts do we have now?"),
			act("", use("search_customers", `{"query":"customer_tags CONTAINS 'wholesale'","limit":20}`)),
			say("13 customers are tagged wholesale. The largest by spend are Camille Pelletier in Montreal ($14,533.00), Grace Mitchell in Vancouver ($13,369.64) " +
				"and Ella Patel in Hamilton ($13,123.00). Caleb Rossi ordered as recently as this morning, while Olivia Ross hasn't ordered since November 28, 2025."),
			merchant("I want to give them a discount on fall pre-orders. Can you set that up so only these accounts can use it?"),
			say("Sure. I'll put them in a segment built on the wholesale tag, so the code works only for those accounts. " +
				"What discount should they get, and on which dates should it run?"),
			merchant("15% off, September 1 through October 31. Code FALLWHOLESALE15."),
			act("", use("create_segment", `{"name":"Wholesale accounts","query":"customer_tags CONTAINS 'wholesale'"}`)),
			act("", use("create_discount", `{"title":"Fall wholesale pre-orders 15%","code":"FALLWHOLESALE15","kind":"PERCENTAGE","value":15,"applies_to":"SEGMENT","segment_id":"seg_4","starts_at":"2026-09-01","ends_at":"2026-11-01"}`)),
			say("I've created the segment Wholesale accounts (customer_tags CONTAINS 'wholesale', 13 members) and the code FALLWHOLESALE15: 15% off for that segment only, " +
				"from September 1 at 00:00 UTC until November 1 at 00:00 UTC, so October 31 is included. It stays SCHEDULED until it starts."),
		},
	},
}
