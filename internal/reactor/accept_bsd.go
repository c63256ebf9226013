//go:build darwin || netbsd || openbsd

package reactor

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// accept sem accept4 (o macOS não o tem; o x/sys/unix não o oferece para
// NetBSD e OpenBSD): três chamadas, com o ForkLock impedindo que um fork no
// meio delas herde o descritor (o pacote net não prende a trava no accept;
// aqui o socket de escuta é não bloqueante, e a trava fica presa só o tempo
// do accept e do fcntl). O endereço que o accept devolve é descartado:
// Conn.RemoteAddr o lê quando alguém precisa.
func accept(lfd int) (int, error) {
	syscall.ForkLock.RLock()
	fd, _, err := unix.Accept(lfd)
	if err == nil {
		unix.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	if err == nil {
		if err = unix.SetNonblock(fd, true); err != nil {
			unix.Close(fd)
		}
	}
	return fd, err
}

// lostConn: o cliente desistiu (RST) enquanto a conexão esperava na fila;
// a próxima pode estar boa, então o accept segue. Sem endereço, o x/sys
// fecha a conexão e devolve ECONNABORTED (macOS) ou EAFNOSUPPORT (os BSD).
func lostConn(err error) bool { return err == unix.ECONNABORTED || err == unix.EAFNOSUPPORT }
