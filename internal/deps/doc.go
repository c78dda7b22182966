// Package deps holds no code: its test enforces the dependency direction
// between wirewatch's packages (docs/architecture.md).
package deps
