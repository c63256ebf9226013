//go:build netbsd || openbsd

package reactor

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// accept: o x/sys/unix não oferece accept4 para NetBSD e OpenBSD; são três
// chamadas, com o ForkLock como no macOS (accept_darwin.go). SIGPIPE: o
// runtime do Go o ignora fora dos descritores 1 e 2, e o write devolve EPIPE.
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
