// Package live captures packets from network interfaces with Linux AF_PACKET
// (pure Go, no cgo), applying capture filters as classic BPF in the kernel.
package live
