"""Where buyers are: country names and codes to ISO 3166 codes, and each country's main time zone.

A country spanning several zones gets its most populous one; that is what "local daytime" uses."""

ZONES = {
    "AE": "Asia/Dubai", "AT": "Europe/Vienna", "AU": "Australia/Sydney", "BE": "Europe/Brussels",
    "BH": "Asia/Bahrain", "BR": "America/Sao_Paulo", "CA": "America/Toronto", "CH": "Europe/Zurich",
    "CN": "Asia/Shanghai", "CY": "Asia/Nicosia", "CZ": "Europe/Prague", "DE": "Europe/Berlin",
    "DK": "Europe/Copenhagen", "ES": "Europe/Madrid", "FI": "Europe/Helsinki", "FR": "Europe/Paris",
    "GB": "Europe/London", "GG": "Europe/Guernsey", "GR": "Europe/Athens", "HK": "Asia/Hong_Kong",
    "ID": "Asia/Jakarta", "IE": "Europe/Dublin", "IL": "Asia/Jerusalem", "IN": "Asia/Kolkata", "IS": "Atlantic/Reykjavik",
    "IT": "Europe/Rome", "JE": "Europe/Jersey", "JP": "Asia/Tokyo", "KR": "Asia/Seoul", "LB": "Asia/Beirut",
    "LT": "Europe/Vilnius", "MO": "Asia/Macau", "MT": "Europe/Malta", "MY": "Asia/Kuala_Lumpur",
    "NL": "Europe/Amsterdam", "NO": "Europe/Oslo", "NZ": "Pacific/Auckland", "PH": "Asia/Manila",
    "PL": "Europe/Warsaw", "PT": "Europe/Lisbon", "RU": "Europe/Moscow", "SA": "Asia/Riyadh",
    "SE": "Europe/Stockholm", "SG": "Asia/Singapore", "TH": "Asia/Bangkok", "TW": "Asia/Taipei",
    "US": "America/New_York", "VN": "Asia/Ho_Chi_Minh", "ZA": "Africa/Johannesburg",
}
_NAMES = {
    "australia": "AU", "austria": "AT", "bahrain": "BH", "belgium": "BE", "brazil": "BR", "canada": "CA",
    "channel islands": "JE", "china": "CN", "mainland china": "CN", "cyprus": "CY", "czech republic": "CZ",
    "czechia": "CZ", "denmark": "DK", "eire": "IE", "ireland": "IE", "finland": "FI", "france": "FR",
    "germany": "DE", "greece": "GR", "hong kong": "HK", "iceland": "IS", "israel": "IL", "italy": "IT",
    "japan": "JP", "lebanon": "LB", "lithuania": "LT", "malta": "MT", "netherlands": "NL", "norway": "NO",
    "poland": "PL", "portugal": "PT", "rsa": "ZA", "south africa": "ZA", "saudi arabia": "SA",
    "singapore": "SG", "spain": "ES", "sweden": "SE", "switzerland": "CH", "usa": "US",
    "united states": "US", "united arab emirates": "AE", "united kingdom": "GB", "uk": "GB",
    "taiwan": "TW", "macau": "MO", "korea": "KR", "south korea": "KR", "russia": "RU", "india": "IN",
    "malaysia": "MY", "thailand": "TH", "vietnam": "VN", "indonesia": "ID", "philippines": "PH",
    "new zealand": "NZ",
}


def country_code(text: str) -> str:
    """ISO code for a name or code we know; otherwise the text itself, trimmed (kept, but zone-less)."""
    cleaned = (text or "").strip()
    if len(cleaned) == 2 and cleaned.upper() in ZONES:
        return cleaned.upper()
    return _NAMES.get(cleaned.lower(), cleaned[:64])


def zone_of_country(code: str) -> str | None:
    return ZONES.get(code)


def country_of_zone(zone: str) -> str | None:
    """The country whose main zone this is (Asia/Shanghai → CN), for the shop's own calendar."""
    return next((code for code, name in ZONES.items() if name == zone), None)
