//go:build linux

package reactor

import "golang.org/x/sys/unix"

// accept: accept4 já não bloqueante e close-on-exec (sem janela em que um
// fork herdaria o descritor) e sem pedir o endereço do cliente (ponteiros
// nulos; Conn.RemoteAddr o lê se alguém precisar). O unix.Accept4 sempre o
// decodifica e, para IPv4, faz antes um getsockopt(SO_PROTOCOL): uma chamada
// de sistema a mais por conexão.
func accept(lfd int) (int, error) {
	const flags = unix.SOCK_NONBLOCK | unix.SOCK_CLOEXEC
	fd, _, e := unix.Syscall6(unix.SYS_ACCEPT4, uintptr(lfd), 0, 0, flags, 0, 0)
	if e == unix.ENOSYS { // 386 e s390x antes do Linux 4.3: accept4 só via socketcall
		nfd, _, err := unix.Accept4(lfd, flags)
		return nfd, err
	}
	if e != 0 {
		return -1, e
	}
	return int(fd), nil
}

// lostConn: a conexão da vez morreu antes do accept; a próxima pode estar
// boa. ECONNABORTED: o cliente desistiu ainda na fila. Os outros são erros
// de rede já pendentes na conexão nova, que o accept do Linux devolve
// (accept(2), NOTES: para TCP/IP, estes): não dizem nada do socket de escuta.
func lostConn(err error) bool {
	switch err {
	case unix.ECONNABORTED, unix.ENETDOWN, unix.EPROTO, unix.ENOPROTOOPT, unix.EHOSTDOWN,
		unix.ENONET, unix.EHOSTUNREACH, unix.EOPNOTSUPP, unix.ENETUNREACH:
		return true
	}
	return false
}
