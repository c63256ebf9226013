//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package reactor

import (
	"syscall"

	"golang.org/x/sys/unix"

	"roteiro2/internal/socket"
)

// Os pedidos ao sistema que o laço e as conexões fazem fora do poller, com
// os nomes do Unix (os do Windows estão em sys_windows.go).

// errAgain: nada a fazer agora (a fila de accept ou o socket estão vazios);
// errIntr: um sinal interrompeu a chamada.
var errAgain, errIntr error = unix.EAGAIN, unix.EINTR

// tryAgain diz se err é só "agora não": o aviso de prontidão era uma dica.
func tryAgain(err error) bool { return err == unix.EAGAIN || err == unix.EINTR }

func readFd(fd int, p []byte) (int, error) { return unix.Read(fd, p) }
func shutdownWrite(fd int) error           { return unix.Shutdown(fd, unix.SHUT_WR) }
func closeFd(fd int) error                 { return unix.Close(fd) }
func socketFd(s *socket.Sock) int          { return s.Fd() }

// peername é o getpeername(2) (o do pacote syscall: o do x/sys/unix faz antes
// um getsockopt).
func peername(fd int) (ip [4]byte, port int, ok bool) {
	sa, err := syscall.Getpeername(fd)
	a, isV4 := sa.(*syscall.SockaddrInet4)
	if err != nil || !isV4 {
		return ip, 0, false
	}
	return a.Addr, a.Port, true
}

// table liga cada descritor à sua conexão. No Unix o kernel dá sempre o
// menor número livre: um slice indexado pelo descritor basta, e não cresce
// além das conexões abertas de uma vez.
type table []*Conn

func (t table) get(fd int) *Conn {
	if fd >= 0 && fd < len(t) {
		return t[fd]
	}
	return nil
}

func (t *table) put(fd int, c *Conn) {
	for fd >= len(*t) {
		*t = append(*t, nil)
	}
	(*t)[fd] = c
}
