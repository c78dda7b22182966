// Package filter implements Wireshark's display-filter language as tshark
// 4.0 accepts it (wireshark-filter(4)), over decode.Frame values and the
// field registry of package field.
//
// It is shaped like go/scanner + go/parser: a scanner produces tokens with
// byte offsets (token.go, scanner.go); Parse builds a positioned syntax tree
// (ast.go) without resolving any name and returns a partial tree plus a
// sorted *ErrorList on error; a separate check pass (check.go) resolves each
// word against a *field.Registry — or the protocol names of package decode,
// whose bytes come from Frame.Layers — types every expression, converts
// literals to the type of the other operand once, and builds the evaluator
// (eval.go, functions.go). Format (printer.go) prints a tree in normal form
// that parses back to the same tree.
//
// # Cost
//
// Compile allocates; Match does not: every evaluator node owns the scratch
// slices it fills (field values, slice bytes, lower()/string() text) and
// reuses them for the next frame, and literals are converted to
// field.Value form at compile time. A Filter is therefore not safe for
// concurrent use; compile one per goroutine. Evaluation short-circuits &&
// and || and reads only the fields a test needs.
//
// # Grammar
//
//	filter   = [ expr ] .
//	expr     = and { ( "||" | "or" ) and } .
//	and      = not { ( "&&" | "and" ) not } .
//	not      = ( "!" | "not" ) not | test .
//	test     = "(" expr ")"
//	         | [ "any" | "all" ] arith [ relop arith | [ "not" ] "in" set ] .
//	relop    = "==" | "eq" | "any_eq" | "!=" | "ne" | "all_ne" | "===" | "all_eq"
//	         | "!==" | "any_ne" | "~=" | ">" | "gt" | ">=" | "ge" | "<" | "lt"
//	         | "<=" | "le" | "contains" | "matches" | "~" .
//	set      = "{" elem { "," elem } "}" .          (commas are required, as in 4.0)
//	elem     = arith [ ".." arith ] .
//	arith    = sum { ( "&" | "bitand" ) sum } .
//	sum      = product { ( "+" | "-" ) product } .
//	product  = unary { ( "*" | "/" | "%" ) unary } .
//	unary    = ( "-" | "+" ) unary | postfix .
//	postfix  = primary { "[" range { "," range } "]" } .
//	range    = int ":" int | int "-" int | int | ":" int | int ":" .
//	primary  = word | word "(" [ arith { "," arith } ] ")" | string | char
//	         | "{" arith "}" .
//
// Precedence, loosest first: ||, &&, !, comparisons, &, + -, * / %, unary -.
// Parentheses group tests; curly braces group arithmetic, so
// "(tcp.flags & 0x12) == 0x12" is an error, as in tshark, while
// "tcp.flags & 0x12 == 0x12" and "{tcp.srcport + 1} == 81" work.
// Keywords are lower case ("AND" is not one). "xor", "^^", field references
// ($field) and macros are rejected, as in tshark 4.0. The layer operator
// (ip.dst#2, vlan.id#2 > vlan.id#1) picks the occurrences of the n-th layer:
// the registry gives occurrences, so a layer is one occurrence of a header
// field of a repeatable header (eth, vlan, ip, ipv6, icmp, tcp, udp), two
// for address and port pairs (ip.addr, tcp.port), and all occurrences of
// other fields are layer 1. Layer ranges (#[1-2]) are not supported.
//
// A word is a field or protocol name (".name" forces that reading) or an
// unparsed literal: a number, a byte string, an address, a value name. The
// check pass decides: a known name is a field; anything else is a literal,
// converted to the type of the field on the other side:
//
//   - integers: decimal, 0x hex, 0 octal, 0b binary, 'c' character constants,
//     and value names for the few fields that have them (tcp.checksum.status
//     == "Bad", _ws.expert.severity == error); out-of-range values are
//     errors ("100000" too big for this field, maximum 65535.);
//   - booleans: 1/0 (any non-zero is true) and True/False;
//   - floats and relative times (seconds): 0.05, 1e-3;
//   - absolute times: "2013-04-03 01:42:00", ISO 8601 with T and Z or an
//     offset, a date alone, or "Mar  7, 2013 21:42:07.5"; local time unless
//     the string ends in Z, an offset or " UTC";
//   - strings: "..." with \a \b \f \n \r \t \v \\ \" \xHH \ooo \uXXXX
//     \UXXXXXXXX escapes, or raw r"..." where backslashes stay;
//   - byte strings and MAC addresses: hex bytes separated by ':', '.' or '-'
//     or run together (00:16:47, 0016.47, 001647), a one-byte 0xHH;
//   - IPv4 and IPv6 addresses with an optional /prefix (== tests membership);
//     host names are not resolved.
//
// # Semantics
//
// Naming a field tests its presence: a comparison on a frame without the
// field is false, whatever the operator. Fields with several occurrences
// (ip.addr, tcp.port, fields of ICMP-quoted headers) compare pairwise: ==,
// >, <, >=, <=, contains, matches and "in" hold when any occurrence matches;
// != ("all_ne") holds when all differ, so "ip.addr != X" means
// "!(ip.addr == X)" for frames that have ip.addr, as in Wireshark 4.0;
// === ("all_eq") needs every occurrence to be equal; !== and ~= ("any_ne")
// need one to differ. The prefixes any and all apply to any comparison.
// "x not in {...}" is "!(x in {...})". Slices take bytes of byte strings,
// strings, addresses and protocols (eth[0:3], tcp[13], frame[-4:]); negative
// offsets count from the end; a range outside the value yields nothing.
// Arithmetic takes the type of its left operand. The functions are len,
// count, lower, upper, string, abs, max and min; max and min reduce every
// value of every argument to one.
//
// # Regular expressions
//
// matches (~) uses Go's regexp (RE2), not PCRE2. The pattern is
// case-insensitive unless it turns that off with (?-i), as in Wireshark 4.0.
// RE2 guarantees linear time but lacks backreferences (\1), lookahead and
// lookbehind ((?=...), (?!...), (?<=...), (?<!...)), atomic groups and
// possessive quantifiers, \K, recursion, callouts and conditionals; such
// patterns are rejected with "Regex compilation error". \Z is not
// supported (use \z or $); (?m), (?s), (?U) and named groups (?P<n>...)
// work. Character classes follow Go: \d, \w and \s are ASCII-only, and
// [[:alpha:]] is supported. Matching works on bytes, so invalid UTF-8 in a
// field does not stop a match.
//
// # Errors
//
// Compile returns an *ErrorList (errors.Is(err, ErrSyntax) holds) whose
// first error carries the byte range of the offending token; its Error()
// is tshark's text: the message, the filter and a caret line ("^~~").
package filter
