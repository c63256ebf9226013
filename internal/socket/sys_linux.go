package socket

import "golang.org/x/sys/unix"

// sockCloexec: no Linux, socket(2) já cria o descritor close-on-exec.
const sockCloexec = unix.SOCK_CLOEXEC

// sendFlags: MSG_NOSIGNAL faz o send a um cliente que já foi embora voltar
// com EPIPE em vez de gerar SIGPIPE.
const sendFlags = unix.MSG_NOSIGNAL

// Accept é accept(): a thread dorme no kernel (wchan inet_csk_accept) até
// haver uma conexão completa na fila do listen, e volta com ela e o endereço
// do cliente. accept4 com SOCK_CLOEXEC: a conexão nasce close-on-exec, sem
// janela para um processo filho herdá-la.
func (s *Sock) Accept() (*Sock, Addr, error) {
	for {
		fd, sa, err := unix.Accept4(s.fd, unix.SOCK_CLOEXEC)
		if c, addr, err, again := s.accepted(fd, sa, err); !again {
			return c, addr, err
		}
	}
}
