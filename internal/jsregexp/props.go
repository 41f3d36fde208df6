package jsregexp

import (
	"sync"
	"unicode"
)

// Unicode property escapes (\p{...} and \P{...}).
//
// ECMAScript accepts exactly the property names and values listed in its
// tables and in PropertyValueAliases.txt, spelled exactly (no loose
// matching). Values are resolved against Go's unicode tables (Unicode
// unicode.Version) and derived from them as the Unicode standard derives
// them. The properties Go has no table for (Script_Extensions, the emoji
// and case-mapping properties, XID_Start, XID_Continue, ...) come from
// tables_gen.go, generated from QuickJS's Unicode data (gen/main.go; its
// Unicode version, generatedVersion, is newer than Go's). Properties of
// strings (RGI_Emoji and the like, v mode only) are rejected as
// unsupported rather than approximated.

// gcAliases maps every General_Category value and alias to the short name
// used by unicode.Categories.
var gcAliases = map[string]string{
	"C": "C", "Other": "C",
	"Cc": "Cc", "Control": "Cc", "cntrl": "Cc",
	"Cf": "Cf", "Format": "Cf",
	"Cn": "Cn", "Unassigned": "Cn",
	"Co": "Co", "Private_Use": "Co",
	"Cs": "Cs", "Surrogate": "Cs",
	"L": "L", "Letter": "L",
	"LC": "LC", "Cased_Letter": "LC",
	"Ll": "Ll", "Lowercase_Letter": "Ll",
	"Lm": "Lm", "Modifier_Letter": "Lm",
	"Lo": "Lo", "Other_Letter": "Lo",
	"Lt": "Lt", "Titlecase_Letter": "Lt",
	"Lu": "Lu", "Uppercase_Letter": "Lu",
	"M": "M", "Mark": "M", "Combining_Mark": "M",
	"Mc": "Mc", "Spacing_Mark": "Mc",
	"Me": "Me", "Enclosing_Mark": "Me",
	"Mn": "Mn", "Nonspacing_Mark": "Mn",
	"N": "N", "Number": "N",
	"Nd": "Nd", "Decimal_Number": "Nd", "digit": "Nd",
	"Nl": "Nl", "Letter_Number": "Nl",
	"No": "No", "Other_Number": "No",
	"P": "P", "Punctuation": "P", "punct": "P",
	"Pc": "Pc", "Connector_Punctuation": "Pc",
	"Pd": "Pd", "Dash_Punctuation": "Pd",
	"Pe": "Pe", "Close_Punctuation": "Pe",
	"Pf": "Pf", "Final_Punctuation": "Pf",
	"Pi": "Pi", "Initial_Punctuation": "Pi",
	"Po": "Po", "Other_Punctuation": "Po",
	"Ps": "Ps", "Open_Punctuation": "Ps",
	"S": "S", "Symbol": "S",
	"Sc": "Sc", "Currency_Symbol": "Sc",
	"Sk": "Sk", "Modifier_Symbol": "Sk",
	"Sm": "Sm", "Math_Symbol": "Sm",
	"So": "So", "Other_Symbol": "So",
	"Z": "Z", "Separator": "Z",
	"Zl": "Zl", "Line_Separator": "Zl",
	"Zp": "Zp", "Paragraph_Separator": "Zp",
	"Zs": "Zs", "Space_Separator": "Zs",
}

// scriptCodes maps ISO 15924 script codes (the short Script value aliases of
// PropertyValueAliases.txt) to the long names used by unicode.Scripts.
var scriptCodes = map[string]string{
	"Adlm": "Adlam", "Aghb": "Caucasian_Albanian", "Ahom": "Ahom", "Arab": "Arabic",
	"Armi": "Imperial_Aramaic", "Armn": "Armenian", "Avst": "Avestan", "Bali": "Balinese",
	"Bamu": "Bamum", "Bass": "Bassa_Vah", "Batk": "Batak", "Beng": "Bengali",
	"Bhks": "Bhaiksuki", "Bopo": "Bopomofo", "Brah": "Brahmi", "Brai": "Braille",
	"Bugi": "Buginese", "Buhd": "Buhid", "Cakm": "Chakma", "Cans": "Canadian_Aboriginal",
	"Cari": "Carian", "Cham": "Cham", "Cher": "Cherokee", "Chrs": "Chorasmian",
	"Copt": "Coptic", "Qaac": "Coptic", "Cpmn": "Cypro_Minoan", "Cprt": "Cypriot",
	"Cyrl": "Cyrillic", "Deva": "Devanagari", "Diak": "Dives_Akuru", "Dogr": "Dogra",
	"Dsrt": "Deseret", "Dupl": "Duployan", "Egyp": "Egyptian_Hieroglyphs", "Elba": "Elbasan",
	"Elym": "Elymaic", "Ethi": "Ethiopic", "Geor": "Georgian", "Glag": "Glagolitic",
	"Gong": "Gunjala_Gondi", "Gonm": "Masaram_Gondi", "Goth": "Gothic", "Gran": "Grantha",
	"Grek": "Greek", "Gujr": "Gujarati", "Guru": "Gurmukhi", "Hang": "Hangul",
	"Hani": "Han", "Hano": "Hanunoo", "Hatr": "Hatran", "Hebr": "Hebrew",
	"Hira": "Hiragana", "Hluw": "Anatolian_Hieroglyphs", "Hmng": "Pahawh_Hmong",
	"Hmnp": "Nyiakeng_Puachue_Hmong", "Hrkt": "Katakana_Or_Hiragana", "Hung": "Old_Hungarian",
	"Ital": "Old_Italic", "Java": "Javanese", "Kali": "Kayah_Li", "Kana": "Katakana",
	"Kawi": "Kawi", "Khar": "Kharoshthi", "Khmr": "Khmer", "Khoj": "Khojki",
	"Kits": "Khitan_Small_Script", "Knda": "Kannada", "Kthi": "Kaithi", "Lana": "Tai_Tham",
	"Laoo": "Lao", "Latn": "Latin", "Lepc": "Lepcha", "Limb": "Limbu",
	"Lina": "Linear_A", "Linb": "Linear_B", "Lisu": "Lisu", "Lyci": "Lycian",
	"Lydi": "Lydian", "Mahj": "Mahajani", "Maka": "Makasar", "Mand": "Mandaic",
	"Mani": "Manichaean", "Marc": "Marchen", "Medf": "Medefaidrin", "Mend": "Mende_Kikakui",
	"Merc": "Meroitic_Cursive", "Mero": "Meroitic_Hieroglyphs", "Mlym": "Malayalam",
	"Modi": "Modi", "Mong": "Mongolian", "Mroo": "Mro", "Mtei": "Meetei_Mayek",
	"Mult": "Multani", "Mymr": "Myanmar", "Nagm": "Nag_Mundari", "Nand": "Nandinagari",
	"Narb": "Old_North_Arabian", "Nbat": "Nabataean", "Newa": "Newa", "Nkoo": "Nko",
	"Nshu": "Nushu", "Ogam": "Ogham", "Olck": "Ol_Chiki", "Orkh": "Old_Turkic",
	"Orya": "Oriya", "Osge": "Osage", "Osma": "Osmanya", "Ougr": "Old_Uyghur",
	"Palm": "Palmyrene", "Pauc": "Pau_Cin_Hau", "Perm": "Old_Permic", "Phag": "Phags_Pa",
	"Phli": "Inscriptional_Pahlavi", "Phlp": "Psalter_Pahlavi", "Phnx": "Phoenician",
	"Plrd": "Miao", "Prti": "Inscriptional_Parthian", "Rjng": "Rejang",
	"Rohg": "Hanifi_Rohingya", "Runr": "Runic", "Samr": "Samaritan",
	"Sarb": "Old_South_Arabian", "Saur": "Saurashtra", "Sgnw": "SignWriting",
	"Shaw": "Shavian", "Shrd": "Sharada", "Sidd": "Siddham", "Sind": "Khudawadi",
	"Sinh": "Sinhala", "Sogd": "Sogdian", "Sogo": "Old_Sogdian", "Sora": "Sora_Sompeng",
	"Soyo": "Soyombo", "Sund": "Sundanese", "Sylo": "Syloti_Nagri", "Syrc": "Syriac",
	"Tagb": "Tagbanwa", "Takr": "Takri", "Tale": "Tai_Le", "Talu": "New_Tai_Lue",
	"Taml": "Tamil", "Tang": "Tangut", "Tavt": "Tai_Viet", "Telu": "Telugu",
	"Tfng": "Tifinagh", "Tglg": "Tagalog", "Thaa": "Thaana", "Thai": "Thai",
	"Tibt": "Tibetan", "Tirh": "Tirhuta", "Tnsa": "Tangsa", "Toto": "Toto",
	"Ugar": "Ugaritic", "Vaii": "Vai", "Vith": "Vithkuqi", "Wara": "Warang_Citi",
	"Wcho": "Wancho", "Xpeo": "Old_Persian", "Xsux": "Cuneiform", "Yezi": "Yezidi",
	"Yiii": "Yi", "Zanb": "Zanabazar_Square", "Zinh": "Inherited", "Qaai": "Inherited",
	"Zyyy": "Common", "Zzzz": "Unknown",
}

// binaryAliases maps the ECMAScript binary property names and aliases that
// can be computed from Go's tables to their canonical names.
var binaryAliases = map[string]string{
	"Any": "Any", "ASCII": "ASCII", "Assigned": "Assigned",
	"ASCII_Hex_Digit": "ASCII_Hex_Digit", "AHex": "ASCII_Hex_Digit",
	"Alphabetic": "Alphabetic", "Alpha": "Alphabetic",
	"Bidi_Control": "Bidi_Control", "Bidi_C": "Bidi_Control",
	"Cased":      "Cased",
	"Dash":       "Dash",
	"Deprecated": "Deprecated", "Dep": "Deprecated",
	"Diacritic": "Diacritic", "Dia": "Diacritic",
	"Extender": "Extender", "Ext": "Extender",
	"Grapheme_Base": "Grapheme_Base", "Gr_Base": "Grapheme_Base",
	"Grapheme_Extend": "Grapheme_Extend", "Gr_Ext": "Grapheme_Extend",
	"Hex_Digit": "Hex_Digit", "Hex": "Hex_Digit",
	"IDS_Binary_Operator": "IDS_Binary_Operator", "IDSB": "IDS_Binary_Operator",
	"IDS_Trinary_Operator": "IDS_Trinary_Operator", "IDST": "IDS_Trinary_Operator",
	"ID_Continue": "ID_Continue", "IDC": "ID_Continue",
	"ID_Start": "ID_Start", "IDS": "ID_Start",
	"Ideographic": "Ideographic", "Ideo": "Ideographic",
	"Join_Control": "Join_Control", "Join_C": "Join_Control",
	"Logical_Order_Exception": "Logical_Order_Exception", "LOE": "Logical_Order_Exception",
	"Lowercase": "Lowercase", "Lower": "Lowercase",
	"Math":                    "Math",
	"Noncharacter_Code_Point": "Noncharacter_Code_Point", "NChar": "Noncharacter_Code_Point",
	"Pattern_Syntax": "Pattern_Syntax", "Pat_Syn": "Pattern_Syntax",
	"Pattern_White_Space": "Pattern_White_Space", "Pat_WS": "Pattern_White_Space",
	"Quotation_Mark": "Quotation_Mark", "QMark": "Quotation_Mark",
	"Radical":            "Radical",
	"Regional_Indicator": "Regional_Indicator", "RI": "Regional_Indicator",
	"Sentence_Terminal": "Sentence_Terminal", "STerm": "Sentence_Terminal",
	"Soft_Dotted": "Soft_Dotted", "SD": "Soft_Dotted",
	"Terminal_Punctuation": "Terminal_Punctuation", "Term": "Terminal_Punctuation",
	"Unified_Ideograph": "Unified_Ideograph", "UIdeo": "Unified_Ideograph",
	"Uppercase": "Uppercase", "Upper": "Uppercase",
	"Variation_Selector": "Variation_Selector", "VS": "Variation_Selector",
	"White_Space": "White_Space", "space": "White_Space",
	// From tables_gen.go.
	"Bidi_Mirrored": "Bidi_Mirrored", "Bidi_M": "Bidi_Mirrored",
	"Case_Ignorable": "Case_Ignorable", "CI": "Case_Ignorable",
	"Changes_When_Casefolded": "Changes_When_Casefolded", "CWCF": "Changes_When_Casefolded",
	"Changes_When_Casemapped": "Changes_When_Casemapped", "CWCM": "Changes_When_Casemapped",
	"Changes_When_Lowercased": "Changes_When_Lowercased", "CWL": "Changes_When_Lowercased",
	"Changes_When_NFKC_Casefolded": "Changes_When_NFKC_Casefolded", "CWKCF": "Changes_When_NFKC_Casefolded",
	"Changes_When_Titlecased": "Changes_When_Titlecased", "CWT": "Changes_When_Titlecased",
	"Changes_When_Uppercased": "Changes_When_Uppercased", "CWU": "Changes_When_Uppercased",
	"Default_Ignorable_Code_Point": "Default_Ignorable_Code_Point", "DI": "Default_Ignorable_Code_Point",
	"Emoji":           "Emoji",
	"Emoji_Component": "Emoji_Component", "EComp": "Emoji_Component",
	"Emoji_Modifier": "Emoji_Modifier", "EMod": "Emoji_Modifier",
	"Emoji_Modifier_Base": "Emoji_Modifier_Base", "EBase": "Emoji_Modifier_Base",
	"Emoji_Presentation": "Emoji_Presentation", "EPres": "Emoji_Presentation",
	"Extended_Pictographic": "Extended_Pictographic", "ExtPict": "Extended_Pictographic",
	"XID_Continue": "XID_Continue", "XIDC": "XID_Continue",
	"XID_Start": "XID_Start", "XIDS": "XID_Start",
}

// unsupportedBinary lists the properties of strings (v mode only), which
// a class of code points cannot express.
var unsupportedBinary = map[string]bool{
	// Properties of strings (v mode only).
	"Basic_Emoji": true, "Emoji_Keycap_Sequence": true, "RGI_Emoji_Modifier_Sequence": true,
	"RGI_Emoji_Flag_Sequence": true, "RGI_Emoji_Tag_Sequence": true,
	"RGI_Emoji_ZWJ_Sequence": true, "RGI_Emoji": true,
}

// property is a resolved property escape.
type property struct {
	set    runeSet
	goName string // name for RE2's \p{...} when the set equals Go's table, else ""
}

var propCache sync.Map // string -> property

// propertyError describes why a property escape was rejected.
type propertyError struct {
	msg         string
	unsupported bool
}

// lookupProperty resolves the contents of \p{...}: name=value or a lone name
// or value.
func lookupProperty(expr string) (property, *propertyError) {
	if p, ok := propCache.Load(expr); ok {
		return p.(property), nil
	}
	p, err := resolveProperty(expr)
	if err != nil {
		return property{}, err
	}
	propCache.Store(expr, p)
	return p, nil
}

func resolveProperty(expr string) (property, *propertyError) {
	name, value, hasValue := cutByte(expr, '=')
	if !hasValue {
		if gc, ok := gcAliases[expr]; ok {
			return generalCategory(gc), nil
		}
		if b, ok := binaryAliases[expr]; ok {
			return property{set: binaryProperty(b)}, nil
		}
		if unsupportedBinary[expr] {
			return property{}, &propertyError{msg: "Unicode property of strings " + expr + " is not supported", unsupported: true}
		}
		return property{}, &propertyError{msg: "unknown Unicode property " + expr}
	}
	switch name {
	case "General_Category", "gc":
		if gc, ok := gcAliases[value]; ok {
			return generalCategory(gc), nil
		}
		return property{}, &propertyError{msg: "unknown General_Category value " + value}
	case "Script", "sc", "Script_Extensions", "scx":
		long := value
		if l, ok := scriptCodes[value]; ok {
			long = l
		}
		_, known := unicode.Scripts[long]
		if !known && long != "Katakana_Or_Hiragana" && long != "Unknown" {
			return property{}, &propertyError{msg: "unknown " + name + " value " + value}
		}
		if name == "Script_Extensions" || name == "scx" {
			return scriptExtensions(long), nil
		}
		return script(long), nil
	}
	return property{}, &propertyError{msg: "unknown Unicode property name " + name}
}

func cutByte(s string, sep byte) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func table(name string) runeSet {
	if t, ok := unicode.Categories[name]; ok {
		return fromTable(t)
	}
	if t, ok := unicode.Properties[name]; ok {
		return fromTable(t)
	}
	return fromTable(unicode.Scripts[name])
}

func unionOf(names ...string) runeSet {
	var out runeSet
	for _, n := range names {
		out = append(out, table(n)...)
	}
	return out.normalize()
}

func generalCategory(gc string) property {
	switch gc {
	case "C":
		// ECMAScript's Other includes the unassigned code points (Cn).
		return property{set: unionOf("Cc", "Cf", "Cn", "Co", "Cs")}
	case "LC":
		return property{set: unionOf("Lu", "Ll", "Lt")}
	case "Cn":
		return property{set: table("Cn")}
	}
	return property{set: table(gc), goName: gc}
}

func script(long string) property {
	switch long {
	case "Katakana_Or_Hiragana":
		return property{} // no code point has this Script value
	case "Unknown":
		var all runeSet
		for _, t := range unicode.Scripts {
			all = append(all, fromTable(t)...)
		}
		return property{set: complement(all.normalize())}
	}
	return property{set: table(long), goName: long}
}

// scriptExtensions returns the code points whose Script_Extensions hold
// the script long: from tables_gen.go, or from the Script tables for the
// two values Go has no table for.
func scriptExtensions(long string) property {
	if t, ok := generatedTables["scx="+long]; ok {
		return property{set: t}
	}
	return script(long) // Katakana_Or_Hiragana (empty) and Unknown
}

// binaryProperty computes a supported binary property. Derived properties
// follow the derivations documented in DerivedCoreProperties.txt.
func binaryProperty(name string) runeSet {
	without := func(s runeSet, names ...string) runeSet { return subtract(s, unionOf(names...)) }
	switch name {
	case "Any":
		return runeSet{{0, maxRune}}
	case "ASCII":
		return runeSet{{0, 0x7F}}
	case "Assigned":
		return complement(table("Cn"))
	case "Alphabetic":
		return unionOf("Lu", "Ll", "Lt", "Lm", "Lo", "Nl", "Other_Alphabetic")
	case "Lowercase":
		return unionOf("Ll", "Other_Lowercase")
	case "Uppercase":
		return unionOf("Lu", "Other_Uppercase")
	case "Cased":
		return unionOf("Ll", "Other_Lowercase", "Lu", "Other_Uppercase", "Lt")
	case "Math":
		return unionOf("Sm", "Other_Math")
	case "ID_Start":
		return without(unionOf("L", "Nl", "Other_ID_Start"), "Pattern_Syntax", "Pattern_White_Space")
	case "ID_Continue":
		return without(unionOf("L", "Nl", "Other_ID_Start", "Mn", "Mc", "Nd", "Pc", "Other_ID_Continue"), "Pattern_Syntax", "Pattern_White_Space")
	case "Grapheme_Extend":
		return unionOf("Me", "Mn", "Other_Grapheme_Extend")
	case "Grapheme_Base":
		return complement(unionOf("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Me", "Mn", "Other_Grapheme_Extend"))
	}
	if t, ok := generatedTables[name]; ok {
		return t
	}
	return table(name)
}

var (
	idOnce              sync.Once
	idStart, idContinue runeSet
)

// isIDStart reports whether r may start a group name (RegExpIdentifierStart).
func isIDStart(r rune) bool {
	idOnce.Do(initID)
	return r == '$' || r == '_' || idStart.contains(r)
}

// isIDPart reports whether r may continue a group name (RegExpIdentifierPart).
func isIDPart(r rune) bool {
	idOnce.Do(initID)
	return r == '$' || r == 0x200C || r == 0x200D || idContinue.contains(r)
}

func initID() {
	idStart = binaryProperty("ID_Start")
	idContinue = binaryProperty("ID_Continue")
}
