//go:build darwin || netbsd || openbsd

package reactor

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// accept sem accept4 (o macOS não o tem; o x/sys/unix não o oferece para
// NetBSD e OpenBSD): três chamadas, com o ForkLock impedindo que um fork no
// meio delas herde o descritor, como faz o pacote net.
func accept(lfd int) (int, unix.Sockaddr, error) {
	syscall.ForkLock.RLock()
	fd, sa, err := unix.Accept(lfd)
	if err == nil {
		unix.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	if err == nil {
		if err = unix.SetNonblock(fd, true); err != nil {
			unix.Close(fd)
		}
	}
	return fd, sa, err
}
