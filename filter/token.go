package filter

// Token is the kind of a lexical token of the display-filter language.
type Token uint8

// Tokens. Comparison operators have one token per meaning; the spelling used
// in the source (e.g. "eq" or "==") is kept in the token's literal text.
const (
	ILLEGAL Token = iota
	EOF
	WORD   // a field name or an unparsed literal: tcp.port, 80, ff:ff:ff:ff:ff:ff, 10.0.0.0/8, .tcp
	STRING // "..." or r"..." (literal text includes the quotes)
	CHAR   // 'a', '\n', '\x41'
	RANGE  // [ ... ]: a slice; the literal is the text between the brackets

	LPAREN // (
	RPAREN // )
	LBRACE // {
	RBRACE // }
	COMMA  // ,
	DOTDOT // ..

	AND // and &&
	OR  // or ||
	NOT // not !

	EQ       // == eq any_eq
	NE       // != ne all_ne
	ALLEQ    // === all_eq
	ANYNE    // !== any_ne ~=
	GT       // > gt
	GE       // >= ge
	LT       // < lt
	LE       // <= le
	CONTAINS // contains
	MATCHES  // matches ~
	IN       // in

	BITAND  // & bitand
	PLUS    // +
	MINUS   // -
	STAR    // *
	SLASH   // /
	PERCENT // %

	ANY // any (quantifier prefix of a comparison)
	ALL // all
)

var tokenNames = [...]string{
	ILLEGAL: "ILLEGAL", EOF: "EOF", WORD: "WORD", STRING: "STRING", CHAR: "CHAR", RANGE: "RANGE",
	LPAREN: "(", RPAREN: ")", LBRACE: "{", RBRACE: "}", COMMA: ",", DOTDOT: "..",
	AND: "&&", OR: "||", NOT: "!",
	EQ: "==", NE: "!=", ALLEQ: "===", ANYNE: "!==", GT: ">", GE: ">=", LT: "<", LE: "<=",
	CONTAINS: "contains", MATCHES: "matches", IN: "in",
	BITAND: "&", PLUS: "+", MINUS: "-", STAR: "*", SLASH: "/", PERCENT: "%",
	ANY: "any", ALL: "all",
}

// String returns the canonical spelling of the token (the one the printer uses).
func (t Token) String() string {
	if int(t) < len(tokenNames) {
		return tokenNames[t]
	}
	return "?"
}

// IsComparison reports whether t is a relational operator (not "in").
func (t Token) IsComparison() bool { return t >= EQ && t <= MATCHES }

// keywords maps the English spellings to tokens. Wireshark 4.0's keywords are
// lower case only ("AND" is not a keyword); "xor" does not exist in 4.0.
var keywords = map[string]Token{
	"and": AND, "or": OR, "not": NOT,
	"eq": EQ, "any_eq": EQ, "ne": NE, "all_ne": NE, "all_eq": ALLEQ, "any_ne": ANYNE,
	"gt": GT, "ge": GE, "lt": LT, "le": LE,
	"contains": CONTAINS, "matches": MATCHES, "in": IN, "bitand": BITAND,
	"any": ANY, "all": ALL,
}
