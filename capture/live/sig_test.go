//go:build linux

package live_test

import "syscall"

const syscallSIGINT = syscall.SIGINT
