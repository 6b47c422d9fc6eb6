package sandbox_test

// Tables the fixture generator draws from. Names, cities and products are
// invented for the fixture shop; any likeness is a coincidence.

var firstNames = []string{
	"Olivia", "Liam", "Emma", "Noah", "Charlotte", "William", "Amelia", "Benjamin", "Ava", "Lucas",
	"Sophia", "Jack", "Chloe", "Ethan", "Mia", "James", "Harper", "Logan", "Evelyn", "Owen",
	"Abigail", "Henry", "Emily", "Jacob", "Ella", "Samuel", "Scarlett", "Mason", "Hannah", "Nathan",
	"Grace", "Daniel", "Zoe", "Leo", "Nora", "Ryan", "Maya", "Aiden", "Avery", "Connor",
	"Priya", "Arjun", "Mei", "Wei", "Hiro", "Yuki", "Aisha", "Omar", "Fatima", "Ravi",
	"Siobhan", "Declan", "Aleksandr", "Ingrid", "Tariq", "Nadia", "Mateo", "Lucia", "Kwame", "Ama",
	"Dylan", "Megan", "Tyler", "Brooke", "Caleb", "Paige", "Riley", "Jordan", "Taylor", "Morgan",
}

var frenchFirstNames = []string{
	"Gabriel", "Léa", "Raphaël", "Juliette", "Félix", "Rosalie", "Thomas", "Béatrice", "Mathis", "Florence",
	"Antoine", "Camille", "Étienne", "Maude", "Olivier", "Geneviève", "Samuel", "Chloé", "Louis", "Émilie",
}

var lastNames = []string{
	"Smith", "Brown", "Tremblay", "Martin", "Roy", "Wilson", "MacDonald", "Taylor", "Campbell", "Anderson",
	"Jones", "Leblanc", "Thompson", "White", "Williams", "Johnson", "Lee", "Scott", "Clarke", "Stewart",
	"Robinson", "Young", "Walker", "Wright", "Murphy", "Ross", "Fraser", "Reid", "Mitchell", "Hughes",
	"Chen", "Wang", "Li", "Nguyen", "Patel", "Singh", "Kaur", "Kim", "Park", "Sato",
	"O'Brien", "Kowalski", "Novak", "Schmidt", "Rossi", "Silva", "Haddad", "Okafor", "Mensah", "Ivanova",
	"Grant", "Henderson", "Morrison", "Sinclair", "Doyle", "Kelly", "Burke", "McLean", "Cameron", "Bennett",
}

var frenchLastNames = []string{
	"Gagnon", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Gagné", "Ouellet", "Pelletier", "Bélanger",
	"Lévesque", "Bergeron", "Côté", "Girard", "Dubé", "Cloutier", "Poirier", "Fournier", "Lapointe", "Bouchard",
}

// city is where a customer lives; weight is how many customers of about 420
// it gets; french cities draw French names.
type city struct {
	name, province, country string
	areaCodes               []string
	weight                  int
	french                  bool
	gta                     bool // Greater Toronto Area, where local pickup is common
}

var cities = []city{
	{"Toronto", "ON", "CA", []string{"416", "647", "437"}, 38, false, true},
	{"Vancouver", "BC", "CA", []string{"604", "778"}, 38, false, false},
	{"Montreal", "QC", "CA", []string{"514", "438"}, 30, true, false},
	{"Calgary", "AB", "CA", []string{"403", "587"}, 28, false, false},
	{"Ottawa", "ON", "CA", []string{"613", "343"}, 24, false, false},
	{"Edmonton", "AB", "CA", []string{"780"}, 18, false, false},
	{"Halifax", "NS", "CA", []string{"902"}, 14, false, false},
	{"Winnipeg", "MB", "CA", []string{"204"}, 14, false, false},
	{"Quebec City", "QC", "CA", []string{"418"}, 10, true, false},
	{"Victoria", "BC", "CA", []string{"250"}, 12, false, false},
	{"Hamilton", "ON", "CA", []string{"905", "289"}, 10, false, true},
	{"Mississauga", "ON", "CA", []string{"905", "289"}, 10, false, true},
	{"Kitchener", "ON", "CA", []string{"519"}, 8, false, false},
	{"Kelowna", "BC", "CA", []string{"250"}, 8, false, false},
	{"Saskatoon", "SK", "CA", []string{"306"}, 7, false, false},
	{"Canmore", "AB", "CA", []string{"403"}, 6, false, false},
	{"St. John's", "NL", "CA", []string{"709"}, 6, false, false},
	{"Regina", "SK", "CA", []string{"306"}, 5, false, false},
	{"Whitehorse", "YT", "CA", []string{"867"}, 4, false, false},
	{"Fredericton", "NB", "CA", []string{"506"}, 4, false, false},
	{"Charlottetown", "PE", "CA", []string{"902"}, 3, false, false},
	{"Seattle", "WA", "US", []string{"206"}, 14, false, false},
	{"New York", "NY", "US", []string{"212", "646"}, 10, false, false},
	{"Portland", "OR", "US", []string{"503"}, 8, false, false},
	{"Boston", "MA", "US", []string{"617"}, 6, false, false},
	{"Chicago", "IL", "US", []string{"312"}, 5, false, false},
	{"Denver", "CO", "US", []string{"303"}, 5, false, false},
	{"Minneapolis", "MN", "US", []string{"612"}, 5, false, false},
	{"Burlington", "VT", "US", []string{"802"}, 3, false, false},
}

var emailDomains = []string{
	"gmail.com", "gmail.com", "gmail.com", "outlook.com", "hotmail.com", "yahoo.ca", "icloud.com",
	"shaw.ca", "rogers.com", "bell.net", "videotron.ca", "telus.net", "protonmail.com", "sympatico.ca",
}

var wholesaleDomains = []string{
	"northtrailoutfitters.ca", "harbourgeneralstore.com", "bluelakecamp.org", "summitsupplyco.ca",
	"portagepaddle.com", "backcountryguides.ca", "islandmercantile.ca", "ridgelinerentals.com",
	"coastalyouthcamp.org", "pinewoodlodge.ca", "elkvalleyoutfitters.com", "fjordsurfandski.com",
}

// productSpec is one catalogue product. Variants share the price unless
// prices lists one per variant.
type productSpec struct {
	title, kind, vendor, desc string
	price                     float64
	variants                  []string
	prices                    []float64
	tags                      []string
	status                    string
}

var sizes = []string{"S", "M", "L", "XL"}

var productSpecs = []productSpec{
	{"Algonquin Rain Shell", "Jackets", "Maple & Pine", "A fully seam-taped 2.5-layer shell for wet portages and city downpours.", 189, sizes, nil, []string{"rain", "waterproof", "bestseller"}, "ACTIVE"},
	{"Banff Down Parka", "Jackets", "Maple & Pine", "700-fill responsibly sourced down with a storm hood, rated for prairie winters.", 349, sizes, nil, []string{"winter", "down", "bestseller"}, "ACTIVE"},
	{"Georgian Bay Windbreaker", "Jackets", "Coastline Gear", "A featherweight wind shell that packs into its own chest pocket.", 129, []string{"S", "M", "L"}, nil, []string{"wind", "packable"}, "ACTIVE"},
	{"Killarney Softshell Jacket", "Jackets", "Maple & Pine", "Stretchy, breathable softshell for shoulder-season hikes.", 159, sizes, nil, []string{"hiking", "softshell"}, "ACTIVE"},
	{"Tofino Insulated Vest", "Vests", "Coastline Gear", "Synthetic-fill vest that stays warm when the sea fog rolls in.", 139, sizes, nil, []string{"insulated", "layering"}, "ACTIVE"},
	{"Yukon Expedition Parka", "Jackets", "Maple & Pine", "Our warmest parka, with a fur-free ruff and a two-way zip.", 549, []string{"M", "L", "XL"}, nil, []string{"winter", "expedition"}, "ACTIVE"},
	{"Laurentian Fleece Jacket", "Fleece", "Laurentian Wool Co.", "Heavyweight recycled fleece with a wool-blend face.", 99, sizes, nil, []string{"fleece", "layering"}, "ACTIVE"},
	{"Fundy Fleece Pullover", "Fleece", "Maple & Pine", "A quarter-zip grid fleece that dries fast after tide-pool scrambles.", 79, []string{"S", "M", "L"}, nil, []string{"fleece"}, "ACTIVE"},
	{"Sea-to-Sky Hoodie", "Hoodies", "Coastline Gear", "Organic cotton hoodie with a mountain-line print.", 85, sizes, nil, []string{"casual", "organic-cotton"}, "ACTIVE"},
	{"Muskoka Flannel Shirt", "Shirts", "Maple & Pine", "Brushed cotton flannel in two cottage-country plaids.", 69, []string{"Red Plaid / M", "Red Plaid / L", "Green Plaid / M", "Green Plaid / L"}, nil, []string{"flannel", "bestseller"}, "ACTIVE"},
	{"Cabot Trail Henley", "Shirts", "Maple & Pine", "A slub-knit henley for long drives along the coast.", 55, []string{"S", "M", "L"}, nil, []string{"casual"}, "ACTIVE"},
	{"Prairie Chambray Shirt", "Shirts", "Maple & Pine", "A light chambray work shirt with pearl snaps.", 65, []string{"M", "L"}, nil, []string{"casual", "new-arrival"}, "DRAFT"},
	{"Merino Base Layer Crew", "Base Layers", "Laurentian Wool Co.", "200 g/m² merino crew that regulates warmth and resists odour.", 95, sizes, nil, []string{"merino", "base-layer", "bestseller"}, "ACTIVE"},
	{"Merino Base Layer Bottoms", "Base Layers", "Laurentian Wool Co.", "Matching 200 g/m² merino leggings with a flat-lock seam.", 89, sizes, nil, []string{"merino", "base-layer"}, "ACTIVE"},
	{"Lightweight Merino Tee", "Base Layers", "Laurentian Wool Co.", "150 g/m² merino tee for summer trails.", 59, []string{"S", "M", "L"}, nil, []string{"merino", "summer"}, "ACTIVE"},
	{"Bruce Trail Hiking Pants", "Pants", "Maple & Pine", "Durable stretch-nylon pants with articulated knees.", 110, []string{"30", "32", "34", "36"}, nil, []string{"hiking"}, "ACTIVE"},
	{"Canmore Convertible Pants", "Pants", "Maple & Pine", "Zip-off legs turn these into shorts at the trailhead.", 120, []string{"30", "32", "34"}, nil, []string{"hiking", "convertible"}, "ACTIVE"},
	{"Rideau Rain Pants", "Pants", "Coastline Gear", "Full-zip waterproof pants that pull on over boots.", 99, sizes, nil, []string{"rain", "waterproof"}, "ACTIVE"},
	{"Okanagan Trail Shorts", "Shorts", "Maple & Pine", "Quick-dry shorts with a zip phone pocket.", 60, []string{"S", "M", "L"}, nil, []string{"summer", "hiking"}, "ACTIVE"},
	{"Trail Runner Socks 3-Pack", "Socks", "Maple & Pine", "Cushioned running socks with a seamless toe.", 29, []string{"S", "M", "L"}, nil, []string{"socks", "running"}, "ACTIVE"},
	{"Merino Hiking Socks", "Socks", "Laurentian Wool Co.", "Mid-weight merino crew socks with a reinforced heel.", 24, []string{"M", "L"}, nil, []string{"socks", "merino", "bestseller"}, "ACTIVE"},
	{"Chunky Cable Toque", "Hats", "Laurentian Wool Co.", "A hand-finished cable-knit toque in wool from Quebec farms.", 35, []string{"Oxblood", "Charcoal", "Cream"}, nil, []string{"winter", "knit"}, "ACTIVE"},
	{"Maple Leaf Pom Toque", "Hats", "Maple & Pine", "A classic striped toque with a maple-leaf patch and pom.", 32, []string{"Red", "Navy"}, nil, []string{"winter", "knit", "gift"}, "ACTIVE"},
	{"Wool Trapper Hat", "Hats", "Laurentian Wool Co.", "Melton wool trapper with faux-shearling ear flaps.", 65, []string{"S/M", "L/XL"}, nil, []string{"winter"}, "ACTIVE"},
	{"Packable Sun Hat", "Hats", "Coastline Gear", "UPF 50 brimmed hat that crushes into a pocket.", 38, []string{"S/M", "L/XL"}, nil, []string{"summer", "packable"}, "ACTIVE"},
	{"Sherpa-Lined Mittens", "Gloves", "Maple & Pine", "Wind-proof shell mitts with a sherpa lining.", 45, []string{"S", "M", "L"}, nil, []string{"winter"}, "ACTIVE"},
	{"Touchscreen Liner Gloves", "Gloves", "Maple & Pine", "Thin merino-blend liners that work with phones.", 28, []string{"S/M", "L/XL"}, nil, []string{"merino", "layering"}, "ACTIVE"},
	{"Buffalo Check Scarf", "Accessories", "Laurentian Wool Co.", "A soft lambswool scarf in red-and-black check.", 42, []string{"Default"}, nil, []string{"winter", "gift"}, "ACTIVE"},
	{"Canvas Daypack 24L", "Bags", "Maple & Pine", "Waxed-canvas daypack with a padded laptop sleeve.", 119, []string{"Olive", "Tan"}, nil, []string{"bags", "bestseller"}, "ACTIVE"},
	{"Roll-Top Dry Bag 20L", "Bags", "Coastline Gear", "Welded-seam dry bag for canoe trips.", 49, []string{"Yellow", "Blue"}, nil, []string{"bags", "waterproof", "paddling"}, "ACTIVE"},
	{"Waxed Canvas Tote", "Bags", "Maple & Pine", "A market tote with leather handles.", 79, []string{"Default"}, nil, []string{"bags", "gift"}, "ACTIVE"},
	{"Waterproof Hiking Boots", "Footwear", "Maple & Pine", "Full-grain leather boots with a waterproof membrane and a grippy outsole.", 229, []string{"8", "9", "10", "11"}, nil, []string{"hiking", "waterproof", "footwear"}, "ACTIVE"},
	{"Camp Moccasins", "Footwear", "Laurentian Wool Co.", "Suede moccasins with a wool lining for the cabin.", 89, []string{"7", "8", "9", "10"}, nil, []string{"footwear", "gift"}, "ACTIVE"},
	{"Insulated Steel Bottle 750ml", "Gear", "Coastline Gear", "Keeps coffee hot for twelve hours on the trail.", 39, []string{"Forest", "Slate"}, nil, []string{"gear", "gift"}, "ACTIVE"},
	{"Enamel Camp Mug", "Gear", "Maple & Pine", "A speckled enamel mug for the campfire.", 22, []string{"Default"}, nil, []string{"gear", "gift"}, "ACTIVE"},
	{"Heritage Striped Wool Blanket", "Home", "Laurentian Wool Co.", "A heavyweight striped wool blanket woven in Quebec.", 199, []string{"Default"}, nil, []string{"home", "gift"}, "ACTIVE"},
	{"Kids' Rain Jacket", "Kids", "Coastline Gear", "A bright waterproof jacket with reflective trim for puddle season.", 79, []string{"4T", "6", "8", "10"}, nil, []string{"kids", "rain"}, "ACTIVE"},
	{"Gift Card", "Gift Cards", "Maple & Pine", "A digital gift card, delivered by email.", 0, []string{"$25", "$50", "$100"}, []float64{25, 50, 100}, []string{"gift"}, "ACTIVE"},
	{"Kids' Fleece Mitts", "Kids", "Maple & Pine", "Fleece mitts on a string, so they come home again.", 25, []string{"2-4", "5-7"}, nil, []string{"kids", "winter"}, "DRAFT"},
	{"Spring Rain Poncho", "Jackets", "Coastline Gear", "A packable poncho that covers you and your pack.", 59, []string{"One Size"}, nil, []string{"rain", "packable", "new-arrival"}, "DRAFT"},
	{"Alpine Puffy Jacket", "Jackets", "Maple & Pine", "A light synthetic puffy for alpine starts.", 219, []string{"S", "M", "L"}, nil, []string{"insulated", "new-arrival"}, "DRAFT"},
	{"Classic Wool Mackinaw Jacket", "Jackets", "Laurentian Wool Co.", "Our original buffalo-check mackinaw, now retired.", 229, []string{"M", "L"}, nil, []string{"winter", "heritage"}, "ARCHIVED"},
	{"Trail Gaiters", "Accessories", "Coastline Gear", "Low gaiters that keep scree out of your shoes.", 45, []string{"S/M", "L/XL"}, nil, []string{"hiking"}, "ARCHIVED"},
	{"2025 Summer Festival Tee", "Shirts", "Maple & Pine", "Limited-run tee from the 2025 summer festival.", 35, []string{"S", "M", "L"}, nil, []string{"limited-edition"}, "ARCHIVED"},
}
