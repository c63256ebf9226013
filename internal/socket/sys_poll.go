//go:build darwin || netbsd || openbsd

package socket

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// sockCloexec: o macOS não tem SOCK_CLOEXEC; Socket usa fcntl logo depois,
// sob syscall.ForkLock. (NetBSD e OpenBSD têm, e o x/sys o oferece; o que o
// x/sys não oferece lá é Accept4.)
const sockCloexec = 0

// sendFlags: nenhuma. O runtime do Go ignora o SIGPIPE causado por um
// socket, e o send volta com EPIPE.
const sendFlags = 0

// Accept é accept(): espera uma conexão completa na fila do listen e volta
// com ela e o endereço do cliente. Sem accept4 aqui, o close-on-exec vem num
// fcntl depois do accept, e entre os dois um fork de outra goroutine
// herdaria a conexão: no macOS, internal/proc roda /bin/ps para ler os
// números do processo, e o FIN da conexão esperaria o ps terminar. O pacote
// net do Go deixa essa janela aberta no macOS (internal/poll/sys_cloexec.go:
// "no use of ForkLock here"); aqui ela fecha: accept e fcntl com a trava
// (de leitura) presa. Mas a trava não pode ficar presa
// enquanto a thread espera um cliente (nenhum fork andaria): a espera é num
// poll(2) (a thread dorme no kernel), e o accept, com o socket de escuta não
// bloqueante, volta na hora.
func (s *Sock) Accept() (*Sock, Addr, error) {
	if !s.nonblock {
		if err := unix.SetNonblock(s.fd, true); err != nil {
			return nil, Addr{}, wrap("fcntl O_NONBLOCK", err)
		}
		s.nonblock = true
	}
	for {
		if _, err := unix.Poll([]unix.PollFd{{Fd: int32(s.fd), Events: unix.POLLIN}}, -1); err != nil && err != unix.EINTR {
			return nil, Addr{}, wrap("poll", err)
		}
		syscall.ForkLock.RLock()
		fd, sa, err := unix.Accept(s.fd)
		if err == nil {
			unix.CloseOnExec(fd)
		}
		syscall.ForkLock.RUnlock()
		if err == unix.EAGAIN {
			continue // a conexão sumiu entre o poll e o accept: espera a próxima
		}
		if err == nil {
			// A conexão herda o O_NONBLOCK do socket de escuta nestes
			// sistemas: volta a ser bloqueante, como a do Python.
			if err = unix.SetNonblock(fd, false); err != nil {
				unix.Close(fd) // accepted só fecha o que deu certo
			}
		}
		if c, addr, err, again := s.accepted(fd, sa, err); !again {
			return c, addr, err
		}
	}
}
