// Package report renders results for people and programs: packet lists
// (tshark-compatible text, fields, JSON), statistics tables, and diagnosis
// reports as text, JSON and self-contained HTML with SVG timelines.
package report
