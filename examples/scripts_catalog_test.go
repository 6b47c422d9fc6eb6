package examples_test

// catalogScripts write SEO copy and change prices, stock, status and tags.
var catalogScripts = []script{
	{
		id: "seo-rain-shell", file: "catalog", role: "owner", tone: "friendly", expertise: "novice",
		skills: []string{"product_seo"},
		steps: []step{
			merchant("Can you write an SEO title and description for the Algonquin Rain Shell? Google just shows the product name right now."),
			act("", use("search_products", `{"query":"algonquin rain shell"}`)),
			act("", use("get_product", `{"product_id":"prod_2001"}`)),
			say("The Algonquin Rain Shell has no SEO title or description yet, so search engines fall back to the product title. " +
				"Based on its description and tags, here's what I suggest:\n\n" +
				"SEO title: Algonquin Rain Shell – Waterproof 2.5-Layer Jacket | Maple & Pine\n" +
				"Meta description: A waterproof 2.5-layer rain shell built for wet portages and city downpours. Packable protection in sizes S to XL, from $189.\n\n" +
				"Would you like me to save these as they are, or change something first?"),
			merchant("Looks good, but say it's fully seam-taped in the description."),
			act("", use("update_product", `{"product_id":"prod_2001","seo_title":"Algonquin Rain Shell – Waterproof 2.5-Layer Jacket | Maple & Pine","seo_description":"A fully seam-taped, waterproof 2.5-layer rain shell built for wet portages and city downpours. Packable protection in sizes S to XL, from $189."}`)),
			say("I've saved the SEO fields on the Algonquin Rain Shell:\n\n" +
				"SEO title: Algonquin Rain Shell – Waterproof 2.5-Layer Jacket | Maple & Pine\n" +
				"Meta description: A fully seam-taped, waterproof 2.5-layer rain shell built for wet portages and city downpours. Packable protection in sizes S to XL, from $189.\n\n" +
				"The product page itself is unchanged; only what search engines show is new. Search results can take a few days to pick it up."),
		},
	},
	{
		id: "seo-vest-and-fleece", file: "catalog", role: "marketing lead", tone: "brisk", expertise: "expert",
		skills: []string{"product_seo"},
		steps: []step{
			merchant("The Tofino vest and the Laurentian fleece jacket both have empty meta tags. Write SEO titles under 60 characters and descriptions under 155 and publish them. Keep the shop name out of the titles, our theme appends it."),
			act("", use("search_products", `{"query":"tofino vest"}`), use("search_products", `{"query":"laurentian fleece"}`)),
			act("", use("get_product", `{"product_id":"prod_2005"}`), use("get_product", `{"product_id":"prod_2007"}`)),
			act("", use("update_product", `{"product_id":"prod_2005","seo_title":"Tofino Insulated Vest – Warm Synthetic-Fill Layer","seo_description":"Synthetic-fill insulated vest that stays warm when the sea fog rolls in. A light, versatile layer for the coast, sizes S to XL."}`),
				use("update_product", `{"product_id":"prod_2007","seo_title":"Laurentian Fleece Jacket – Heavyweight Recycled Fleece","seo_description":"Heavyweight recycled fleece jacket with a wool-blend face. Warm, hard-wearing layering for cool trail days, sizes S to XL."}`)),
			say("Both are published. I've updated:\n\n" +
				"Tofino Insulated Vest\n- Title: Tofino Insulated Vest – Warm Synthetic-Fill Layer\n" +
				"- Description: Synthetic-fill insulated vest that stays warm when the sea fog rolls in. A light, versatile layer for the coast, sizes S to XL.\n\n" +
				"Laurentian Fleece Jacket\n- Title: Laurentian Fleece Jacket – Heavyweight Recycled Fleece\n" +
				"- Description: Heavyweight recycled fleece jacket with a wool-blend face. Warm, hard-wearing layering for cool trail days, sizes S to XL.\n\n" +
				"All titles are under 60 characters and both descriptions under 155, with no shop name in the titles."),
		},
	},
	{
		id: "parka-seo-rewrite", file: "catalog", role: "owner", tone: "blunt", expertise: "expert",
		skills: []string{"product_seo", "product_seo"},
		steps: []step{
			merchant("What does Google see for the Banff Down Parka right now? Title and meta description."),
			act("", use("search_products", `{"query":"banff down parka"}`)),
			act("", use("get_product", `{"product_id":"prod_2002"}`)),
			say("The Banff Down Parka's SEO title is \"Banff Down Parka | Maple & Pine Outfitters\", and its meta description is " +
				"\"700-fill responsibly sourced down with a storm hood, rated for prairie winters.\", word for word the same as the product description."),
			merchant("Too generic. Rewrite both: lead with down parka, mention the 700-fill and the storm hood, and leave the shop name out."),
			act("", use("update_product", `{"product_id":"prod_2002","seo_title":"Down Parka with Storm Hood – Banff 700-Fill Winter Parka","seo_description":"Stay warm through prairie winters in the Banff down parka: 700-fill responsibly sourced down, a full storm hood and a cut made for real cold. Sizes S to XL."}`)),
			say("I've updated the Banff Down Parka's SEO:\n\n" +
				"- Title: Down Parka with Storm Hood – Banff 700-Fill Winter Parka\n" +
				"- Meta description: Stay warm through prairie winters in the Banff down parka: 700-fill responsibly sourced down, a full storm hood and a cut made for real cold. Sizes S to XL.\n\n" +
				"The product's own description stays as it was."),
		},
	},
	{
		id: "parka-price-increase", file: "catalog", role: "owner", tone: "rushed", expertise: "intermediate",
		skills: []string{"product_edits"},
		steps: []step{
			merchant("Raise the Banff Down Parka to $379 in every size, supplier costs went up"),
			act("", use("search_products", `{"query":"banff down parka"}`)),
			act("", use("get_product", `{"product_id":"prod_2002"}`)),
			act("", use("update_variant", `{"variant_id":"var_3005","price":379}`), use("update_variant", `{"variant_id":"var_3006","price":379}`),
				use("update_variant", `{"variant_id":"var_3007","price":379}`), use("update_variant", `{"variant_id":"var_3008","price":379}`)),
			say("I've updated all 4 sizes of the Banff Down Parka (S, M, L and XL) from $349.00 to $379.00. " +
				"None of them had a compare-at price, so nothing shows as on sale, and stock levels are unchanged."),
			merchant("perfect thanks"),
			say("You're welcome!"),
		},
	},
	{
		id: "mitten-restock", file: "catalog", role: "warehouse staff", tone: "terse", expertise: "novice",
		skills: []string{"product_edits"},
		steps: []step{
			merchant("got 30 more small sherpa mittens in"),
			act("", use("search_products", `{"query":"sherpa mittens"}`)),
			act("", use("get_product", `{"product_id":"prod_2026"}`)),
			say("The Sherpa-Lined Mittens in size S show 14 in stock right now. Should I add the 30 to that count, or set it to 30 because you counted the shelf?"),
			merchant("add them, the 14 are still on the shelf"),
			act("", use("update_variant", `{"variant_id":"var_3082","inventory_quantity":44}`)),
			say("Done: Sherpa-Lined Mittens, size S now shows 44 in stock. Sizes M (64) and L (119) are unchanged."),
		},
	},
	{
		id: "drafts-review-publish", file: "catalog", role: "owner", tone: "chatty", expertise: "intermediate",
		skills: []string{"product_edits", "product_edits"},
		steps: []step{
			merchant("What have we got sitting in drafts right now? I keep losing track of what's ready to go live."),
			act("", use("search_products", `{"status":"DRAFT"}`)),
			say("You have 4 products in draft:\n\n" +
				"- Prairie Chambray Shirt: $65.00, 81 in stock across 2 sizes\n" +
				"- Kids' Fleece Mitts: $25.00, 160 in stock across 2 sizes\n" +
				"- Spring Rain Poncho: $59.00, 94 in stock (one size)\n" +
				"- Alpine Puffy Jacket: $219.00, 241 in stock across 3 sizes"),
			merchant("Let's publish the chambray shirt and the puffy jacket. The mitts and the poncho can wait until fall."),
			act("", use("update_product", `{"product_id":"prod_2012","status":"ACTIVE"}`), use("update_product", `{"product_id":"prod_2041","status":"ACTIVE"}`)),
			say("Both are live: I've set the Prairie Chambray Shirt and the Alpine Puffy Jacket to ACTIVE. " +
				"The Kids' Fleece Mitts and the Spring Rain Poncho stay in draft."),
		},
	},
	{
		id: "back-to-school-tags", file: "catalog", role: "marketing coordinator", tone: "casual", expertise: "novice",
		skills: []string{"product_edits"},
		steps: []step{
			merchant("can u tag all the kids stuff with back-to-school? want it for the august email"),
			act("", use("search_products", `{"query":"kids"}`)),
			act("", use("update_product", `{"product_id":"prod_2037","tags":["kids","rain","back-to-school"]}`),
				use("update_product", `{"product_id":"prod_2039","tags":["kids","winter","back-to-school"]}`)),
			say("Done! I've added back-to-school to both kids' products and kept their existing tags:\n\n" +
				"- Kids' Rain Jacket: back-to-school, kids, rain\n" +
				"- Kids' Fleece Mitts: back-to-school, kids, winter\n\n" +
				"Heads-up: the Kids' Fleece Mitts are still a DRAFT, so they won't show in the store or in email links until they're published."),
		},
	},
	{
		id: "discontinue-trapper-hat", file: "catalog", role: "owner", tone: "formal", expertise: "intermediate",
		skills: []string{"product_edits"},
		steps: []step{
			merchant("We are discontinuing the Wool Trapper Hat. Please archive it and set its stock to zero so nothing sells by accident."),
			act("", use("search_products", `{"query":"wool trapper hat"}`)),
			act("", use("get_product", `{"product_id":"prod_2024"}`)),
			act("", use("update_product", `{"product_id":"prod_2024","status":"ARCHIVED"}`),
				use("update_variant", `{"variant_id":"var_3078","inventory_quantity":0}`),
				use("update_variant", `{"variant_id":"var_3079","inventory_quantity":0}`)),
			say("The Wool Trapper Hat has been archived, and I've set both variants to 0 in stock: S/M (was 5) and L/XL (was 51). " +
				"Archived products are hidden from the storefront but keep their order history, so past sales reports are unaffected."),
		},
	},
}
