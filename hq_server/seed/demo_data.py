"""Word lists for the demo chain: a hair-and-beauty retailer with some general lines."""

from __future__ import annotations

STORE_NAMES = [
    "Lumen Beauty — Camden", "Lumen Beauty — Brixton", "Lumen Beauty — Shoreditch",
    "Lumen Beauty — Islington", "Lumen Beauty — Richmond", "Lumen Beauty — Greenwich",
    "Lumen Beauty — Hammersmith", "Lumen Beauty — Clapham", "Lumen Beauty — Stratford",
    "Lumen Beauty — Wimbledon",
]

# (brand, vendor)
BRANDS = [
    ("Aurelle", "Aurelle Laboratoires"), ("Botanica Pure", "Greenleaf Cosmetics"),
    ("Kerastine", "Salon Supply Co."), ("Nordic Glow", "Fjord Beauty AB"),
    ("Velvet & Vine", "V&V Brands Ltd"), ("Maison Ciel", "Ciel Distribution"),
    ("Olive Grove", "Mediterra Naturals"), ("Luxe Lab", "Luxe Lab Ltd"),
    ("Urban Curl", "Curl Collective"), ("Silkwave", "Silkwave Professional"),
    ("Coral Bay", "Coral Bay Cosmetics"), ("Hydra Essentials", "Aqua Derm GmbH"),
    ("Studio Pro", "Salon Supply Co."), ("Wild Rose", "Greenleaf Cosmetics"),
    ("Amberlight", "Amber Brands"), ("Pure Theory", "Theory Skincare"),
    ("Mane Street", "Curl Collective"), ("Belle Nuit", "Ciel Distribution"),
    ("Everyday Basics", "Lumen Own Label"), ("Lumen", "Lumen Own Label"),
    ("Cedar & Sage", "Mediterra Naturals"), ("Pixel Polish", "Coral Bay Cosmetics"),
    ("Ardent", "Aurelle Laboratoires"), ("Kindred Skin", "Theory Skincare"),
]

SIZES_BOTTLE = ["100ml", "250ml", "400ml", "1L"]
SIZES_TUBE = ["30ml", "50ml", "75ml", "150ml"]
SHADES_HAIR = ["1 Black", "3 Dark Brown", "4 Medium Brown", "5 Light Brown", "6 Dark Blonde",
               "7 Medium Blonde", "8 Light Blonde", "9 Very Light Blonde", "4.6 Mahogany",
               "5.62 Burgundy", "6.4 Copper", "7.3 Golden Blonde", "8.1 Ash Blonde",
               "10 Platinum", "5.5 Chocolate", "6.66 Intense Red"]
SHADES_NAIL = ["Cherry Red", "Ballet Pink", "Nude Sand", "Midnight Navy", "Coral Crush",
               "Lilac Haze", "Forest Green", "Classic French", "Gold Rush", "Jet Black",
               "Pearl White", "Berry Kiss", "Peach Fuzz", "Ocean Teal", "Mocha", "Ruby Glitter",
               "Sky Blue", "Plum Velvet", "Blush", "Tangerine"]
SHADES_LIP = ["Rosewood", "Nude Beige", "Classic Red", "Mauve", "Berry", "Coral", "Plum",
              "Pink Sorbet", "Brick", "Cocoa"]
SCENTS = ["Coconut", "Argan", "Rose", "Citrus", "Lavender", "Tea Tree", "Vanilla", "Unscented"]
BRUSH_SIZES = ["Small", "Medium", "Large"]

# (type name, code, category, variants, (min €, max €), tax class)
PRODUCT_TYPES = [
    ("Repair Shampoo", "SHA", "Hair Care", SIZES_BOTTLE, (4, 18), "standard"),
    ("Volume Shampoo", "SHV", "Hair Care", SIZES_BOTTLE, (4, 18), "standard"),
    ("Scented Shampoo", "SHS", "Hair Care", SCENTS, (3, 12), "standard"),
    ("Moisture Conditioner", "CON", "Hair Care", SIZES_BOTTLE, (4, 19), "standard"),
    ("Leave-In Conditioner", "CLI", "Hair Care", SIZES_TUBE, (6, 20), "standard"),
    ("Hair Mask", "MSK", "Hair Care", SIZES_TUBE, (7, 26), "standard"),
    ("Dry Shampoo", "DRY", "Hair Care", SCENTS, (4, 11), "standard"),
    ("Permanent Hair Colour", "COL", "Hair Colour", SHADES_HAIR, (6, 15), "standard"),
    ("Semi-Permanent Colour", "SEM", "Hair Colour", SHADES_HAIR, (5, 12), "standard"),
    ("Root Touch-Up Spray", "RTU", "Hair Colour", SHADES_HAIR[:8], (7, 13), "standard"),
    ("Heat Protect Spray", "HPS", "Styling", SIZES_TUBE, (6, 17), "standard"),
    ("Styling Mousse", "MOU", "Styling", SIZES_BOTTLE[:3], (4, 13), "standard"),
    ("Strong Hold Hairspray", "HSP", "Styling", SIZES_BOTTLE[:3], (3, 12), "standard"),
    ("Curl Cream", "CCR", "Styling", SIZES_TUBE, (6, 18), "standard"),
    ("Paddle Brush", "BRP", "Brushes & Tools", BRUSH_SIZES, (7, 25), "standard"),
    ("Round Brush", "BRR", "Brushes & Tools", BRUSH_SIZES, (6, 22), "standard"),
    ("Wide Tooth Comb", "CMB", "Brushes & Tools", BRUSH_SIZES, (2, 8), "standard"),
    ("Nail Polish", "NPL", "Nails", SHADES_NAIL, (3, 12), "standard"),
    ("Gel Nail Polish", "NGL", "Nails", SHADES_NAIL, (6, 16), "standard"),
    ("Nail Polish Remover", "NRM", "Nails", SCENTS, (2, 7), "standard"),
    ("Lipstick", "LIP", "Make-up", SHADES_LIP, (5, 24), "standard"),
    ("Foaming Cleanser", "CLN", "Skincare", SIZES_TUBE, (6, 22), "standard"),
    ("Hyaluronic Serum", "SER", "Skincare", SIZES_TUBE[:2], (9, 39), "standard"),
    ("Day Cream SPF30", "DCR", "Skincare", SIZES_TUBE[:3], (8, 35), "standard"),
    ("Night Cream", "NCR", "Skincare", SIZES_TUBE[:3], (9, 38), "standard"),
    ("Body Lotion", "BLO", "Bath & Body", SCENTS, (4, 14), "standard"),
    ("Shower Gel", "SHG", "Bath & Body", SCENTS, (2, 8), "standard"),
    ("Hand Cream", "HCR", "Bath & Body", SCENTS, (3, 11), "standard"),
    ("Hair Vitamins 60 caps", "VIT", "Wellbeing", ["Biotin", "Collagen", "Zinc", "Iron"], (9, 26), "reduced"),
    ("Claw Clips", "CLP", "Accessories", ["4 pack", "8 pack", "12 pack"], (3, 9), "standard"),
    ("Scrunchies", "SCR", "Accessories", ["Satin", "Velvet", "Cotton"], (3, 8), "standard"),
    ("Travel Bottle Set", "TRV", "General", ["3 pack", "6 pack"], (4, 12), "standard"),
]

PRICE_ENDINGS = [99, 99, 99, 49, 49, 95, 50, 29]
