//go:build freebsd || dragonfly

package socket

import "golang.org/x/sys/unix"

// sockCloexec: socket(2) já cria o descritor close-on-exec.
const sockCloexec = unix.SOCK_CLOEXEC

// sendFlags: nenhuma. O runtime do Go ignora o SIGPIPE causado por um
// socket, e o send volta com EPIPE.
const sendFlags = 0

// Accept é accept(): a thread dorme no kernel até haver uma conexão completa
// na fila do listen, e volta com ela e o endereço do cliente. accept4 com
// SOCK_CLOEXEC: a conexão nasce close-on-exec, sem janela para um processo
// filho herdá-la.
func (s *Sock) Accept() (*Sock, Addr, error) {
	for {
		fd, sa, err := unix.Accept4(s.fd, unix.SOCK_CLOEXEC)
		if c, addr, err, again := s.accepted(fd, sa, err); !again {
			return c, addr, err
		}
	}
}
