//go:build freebsd || dragonfly

package reactor

import "golang.org/x/sys/unix"

// accept aceita uma conexão já não bloqueante e close-on-exec numa só
// chamada (accept4), sem janela em que um fork herdaria o descritor. O
// endereço que o x/sys decodifica é descartado: Conn.RemoteAddr o lê quando
// alguém precisa dele.
func accept(lfd int) (int, error) {
	fd, _, err := unix.Accept4(lfd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
	return fd, err
}

// lostConn: o cliente desistiu (RST) enquanto a conexão esperava na fila;
// a próxima pode estar boa, então o accept segue.
func lostConn(err error) bool { return err == unix.ECONNABORTED }
