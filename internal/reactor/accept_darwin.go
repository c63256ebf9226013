//go:build darwin

package reactor

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// accept: o macOS não tem accept4, então são três chamadas; o ForkLock
// impede que um fork no meio delas herde o descritor (como o pacote net).
// SO_NOSIGPIPE faz write num socket sem leitor devolver EPIPE, sem sinal.
func accept(lfd int) (int, unix.Sockaddr, error) {
	syscall.ForkLock.RLock()
	fd, sa, err := unix.Accept(lfd)
	if err == nil {
		unix.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return -1, nil, err
	}
	if err = unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return -1, nil, err
	}
	unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_NOSIGPIPE, 1)
	return fd, sa, nil
}
