//go:build !linux

package live

import (
	"context"
	"time"

	"github.com/wirewatch/wirewatch/capture"
)

// Source captures packets; only implemented on Linux.
type Source struct{ ifaces []capture.Interface }

// Open reports ErrUnsupported outside Linux.
func Open(cfg Config) (*Source, error) { return nil, ErrUnsupported }

// NextContext reports ErrUnsupported outside Linux.
func (s *Source) NextContext(ctx context.Context) (capture.Packet, error) {
	return capture.Packet{}, ErrUnsupported
}

// Next reports ErrUnsupported outside Linux.
func (s *Source) Next() (capture.Packet, error) { return capture.Packet{}, ErrUnsupported }

// SetContext does nothing outside Linux.
func (s *Source) SetContext(ctx context.Context) {}

// ReadPacket reports ErrUnsupported outside Linux.
func (s *Source) ReadPacket(ctx context.Context, p *capture.Packet) error { return ErrUnsupported }

// Stats reports ErrUnsupported outside Linux.
func (s *Source) Stats() (Stats, error) { return Stats{}, ErrUnsupported }

// InterfaceStats reports ErrUnsupported outside Linux.
func (s *Source) InterfaceStats(i int) (Stats, error) { return Stats{}, ErrUnsupported }

// SetIdleTimeout does nothing outside Linux.
func (s *Source) SetIdleTimeout(d time.Duration) {}

// Close does nothing outside Linux.
func (s *Source) Close() error { return nil }

// LibpcapVersion: live capture is Linux-only.
func LibpcapVersion() (string, error) { return "", ErrUnsupported }
