//go:build unix

package main

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// noReuseAddr desliga o SO_REUSEADDR que o Go liga em todo socket de escuta,
// para ver a porta como um servidor Python simples a vê.
func noReuseAddr(_, _ string, c syscall.RawConn) error {
	var serr error
	err := c.Control(func(fd uintptr) {
		serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_REUSEADDR, 0)
	})
	if err != nil {
		return err
	}
	return serr
}
