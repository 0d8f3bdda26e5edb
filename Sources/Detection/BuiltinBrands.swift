extension BrandRegistry {
    /// Brands known out of the box. Domains are those the brands send confirmations from; a postmaster
    /// can add or replace entries with `Brand` lines in the config file.
    public static let builtin = BrandRegistry([
        Brand(id: "amazon", names: ["Amazon", "Amazon.com", "أمازون", "امازون"],
              domains: ["amazon.com", "amazon.co.uk", "amazon.de", "amazon.it", "amazon.fr", "amazon.es",
                        "amazon.ca", "amazon.com.br", "amazon.com.mx", "amazon.ae", "amazon.sa", "amazon.eg",
                        "amazon.in", "amazon.nl", "amazon.com.au", "amazon.co.jp", "amazon.com.tr",
                        "amazon.se", "amazon.pl", "amazon.com.be"]),
        Brand(id: "google-play", names: ["Google Play", "جوجل بلاي", "غوغل بلاي", "جوجل play"],
              domains: ["google.com"]),
        Brand(id: "apple", names: ["Apple", "App Store", "iTunes", "آبل", "ابل"],
              domains: ["apple.com", "itunes.com"]),
        Brand(id: "steam", names: ["Steam", "Valve", "ستيم"], domains: ["steampowered.com", "steamcommunity.com"]),
        Brand(id: "best-buy", names: ["Best Buy", "BestBuy"], domains: ["bestbuy.com"]),
        Brand(id: "target", names: ["Target.com", "Target Gift Card", "Target GiftCard"], domains: ["target.com"]),
        Brand(id: "walmart", names: ["Walmart", "وول مارت"], domains: ["walmart.com"]),
        Brand(id: "ebay", names: ["eBay", "إيباي", "ايباي"],
              domains: ["ebay.com", "ebay.co.uk", "ebay.de", "ebay.it", "ebay.fr", "ebay.es", "ebay.ca", "ebay.com.au"]),
        Brand(id: "paypal", names: ["PayPal", "باي بال"],
              domains: ["paypal.com", "paypal.co.uk", "paypal.de", "paypal.it", "paypal.fr", "paypal.es"]),
        Brand(id: "visa", names: ["Visa Gift Card", "Vanilla Visa", "Visa prepaid", "بطاقة فيزا"],
              domains: ["visa.com", "vanillagift.com"]),
        Brand(id: "mastercard", names: ["Mastercard", "ماستركارد", "ماستر كارد"], domains: ["mastercard.com"]),
        Brand(id: "hotels-com", names: ["Hotels.com", "هوتيلز.كوم"], domains: ["hotels.com"]),
        Brand(id: "razer-gold", names: ["Razer Gold", "Razer", "ريزر جولد"], domains: ["razer.com", "razergold.com"]),
        Brand(id: "netflix", names: ["Netflix", "نتفليكس"], domains: ["netflix.com"]),
    ])
}
